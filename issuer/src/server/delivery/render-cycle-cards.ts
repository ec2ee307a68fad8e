/**
 * Printable paper cards for a cycle's issued entitlements (beneficiaries without a smartphone):
 * the holder-less credential of bulk issuance, in the compact QR form, ten cards per A4 page.
 * Under the programme's `bearerForms: "one"` (the default) paper is printed only for entitlements
 * delivered on paper: the bulk run leaves out those a phone holds, and one card again for such an
 * entitlement is refused (ERR_PHONE_FORM_ACTIVE) until an officer confirms paper instead of the
 * phone (`supersedeCredential` with `form: "paper"`, which revokes the phone's credential).
 */
import { renderCardsPdf, type Card } from "@haki/paper-card/render";
import { encodeProof } from "@haki/qr/codec";
import { createTranslator, type Locale } from "@haki/i18n";
import { describeBenefit } from "@haki/i18n/benefit";
import type { Cycle, Programme } from "@haki/db";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { benefitOf } from "@/server/issuance/entitlement-input";

/** Cards per PDF: pdf-lib keeps a document in memory until saved, so large runs come in parts. */
export const CARDS_PER_PDF = 1000;

/**
 * One part (`part` from 1) of a cycle's cards as a PDF.
 *
 * @example
 * const { pdf, parts } = await renderCycleCards(ctx, cycleId, { part: 1, locale: "sw" }, officer);
 */
export async function renderCycleCards(
  ctx: ServerContext,
  cycleId: string,
  options: { part: number; locale: Locale },
  actor: Actor,
): Promise<{ pdf: Uint8Array; parts: number; cards: number }> {
  requireRole(actor, "officer");
  const cycle = await ctx.db.cycle.findUnique({ where: { id: cycleId }, include: { programme: true } });
  if (!cycle) throw new ApiError("ERR_NOT_FOUND", "No such cycle.");
  // Under "one", not the entitlements a phone holds (collected, or a lost phone being replaced).
  const onPaper = cycle.programme.bearerForms === "both" ? {} : { bearerForm: "paper", holderDid: null };
  const where = { cycleId, status: "issued", credential: { not: null }, ...onPaper } as const;
  const total = await ctx.db.entitlement.count({ where });
  if (total === 0) throw new ApiError("ERR_INVALID_STATE", "This cycle has no issued credentials to print.");
  const parts = Math.ceil(total / CARDS_PER_PDF);
  if (options.part > parts) throw new ApiError("ERR_NOT_FOUND", `This cycle has ${parts} part(s) of cards.`);
  const rows = await ctx.db.entitlement.findMany({
    where,
    orderBy: { id: "asc" },
    skip: (options.part - 1) * CARDS_PER_PDF,
    take: CARDS_PER_PDF,
    include: { beneficiary: true },
  });
  const pdf = await renderCardsPdfFor(ctx, cycle, rows, options.locale);
  await markPrinted(ctx, rows.map((e) => e.id), onPaper);
  await ctx.db.$transaction((tx) =>
    appendAuditEvent(tx, ctx, {
      actorId: actor.id,
      action: "cards.download",
      subject: cycleId,
      details: { part: options.part, cards: rows.length, ...(cycle.programme.bearerForms === "both" ? { bearerForms: "both" } : {}) },
    }),
  );
  return { pdf, parts, cards: rows.length };
}

type CardRow = { id: string; credential: string | null; beneficiary: { ref: string; displayName: string | null } };
type CardCycle = Cycle & { programme: Programme };

/**
 * The PDF of the given entitlements' cards (each must have its paper credential).
 *
 * @example
 * const pdf = await renderCardsPdfFor(ctx, cycle, [entitlement], "sw");
 */
export async function renderCardsPdfFor(ctx: ServerContext, cycle: CardCycle, rows: CardRow[], locale: Locale): Promise<Uint8Array> {
  const t = createTranslator(locale, "issuer");
  // The same words as the wallet and the verifier, in the card's language.
  const benefit = describeBenefit(benefitOf(cycle.programme, cycle), locale);
  const cards: Card[] = rows.map((e) => ({
    // Without a recorded name the card shows the pseudonymous reference for the visual check.
    name: e.beneficiary.displayName ?? e.beneficiary.ref,
    programme: cycle.programme.name,
    benefit,
    validUntil: cycle.validUntil,
    cardNumber: e.beneficiary.ref,
    // The issuer by its short reference: every verifier that can check the card trusts it.
    qrPayload: encodeProof(e.credential!, { issuers: [ctx.did] }),
  }));
  return renderCardsPdf(cards, {
    issuerName: ctx.env.HAKI_ISSUER_NAME,
    locale,
    labels: { programme: t("cards.programme"), gives: t("cards.gives"), validUntil: t("cards.validUntil"), card: t("cards.card") },
    direction: locale === "ar" ? "rtl" : "ltr",
  });
}

/**
 * Records when these entitlements' cards were printed (the delivery state shows it): paper is one
 * of their forms. Under "one", not those a phone claimed while the PDF was made (their new cards
 * were printed at the position the phone's claim revoked).
 */
async function markPrinted(ctx: ServerContext, ids: string[], onPaper: object): Promise<void> {
  if (ids.length) await ctx.db.entitlement.updateMany({ where: { id: { in: ids }, ...onPaper }, data: { printedAt: ctx.now(), bearerForm: "paper" } });
}

/**
 * Whether a phone holds the entitlement as its one bearer form (programme `bearerForms` "one"):
 * then paper may not be printed without superseding the phone first.
 *
 * @example
 * if (phoneFormActive(e, programme)) refuse();
 */
export function phoneFormActive(e: { bearerForm: string; holderDid: string | null }, programme: { bearerForms: string }): boolean {
  return programme.bearerForms !== "both" && (e.bearerForm === "phone" || e.holderDid !== null);
}

/**
 * One entitlement's card again (a worn card, or the new card after `supersedeCredential` for a lost
 * one), recorded as printed and audited as `cards.reprint`.
 *
 * @example
 * const pdf = await reprintCard(ctx, { entitlementId, locale: "fr" }, officer);
 */
export async function reprintCard(ctx: ServerContext, input: { entitlementId: string; locale: Locale }, actor: Actor): Promise<Uint8Array> {
  requireRole(actor, "officer");
  const e = await ctx.db.entitlement.findUnique({ where: { id: input.entitlementId }, include: { beneficiary: true, cycle: { include: { programme: true } } } });
  if (!e) throw new ApiError("ERR_NOT_FOUND", "No such entitlement.");
  if (e.status !== "issued" || !e.credential) throw new ApiError("ERR_INVALID_STATE", `A ${e.status} entitlement has no card to print.`);
  if (phoneFormActive(e, e.cycle.programme)) {
    throw new ApiError("ERR_PHONE_FORM_ACTIVE", "A phone holds this entitlement: confirm paper instead of the phone first (the phone's card is then cancelled).");
  }
  const pdf = await renderCardsPdfFor(ctx, e.cycle, [e], input.locale);
  await ctx.db.$transaction(async (tx) => {
    // Only while the phone has not collected it meanwhile (the form checked above still holds).
    const { count } = await tx.entitlement.updateMany({ where: { id: e.id, statusList: e.statusList, statusIndex: e.statusIndex }, data: { printedAt: ctx.now(), bearerForm: "paper" } });
    if (count !== 1) throw new ApiError("ERR_CONFLICT", "The entitlement changed meanwhile; reload and try again.");
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "cards.reprint", subject: e.id, details: { beneficiary: e.beneficiary.ref } });
  });
  return pdf;
}
