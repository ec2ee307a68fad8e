/**
 * Printable paper cards for a cycle's issued entitlements (beneficiaries without a smartphone):
 * the holder-less credential of bulk issuance, in the compact QR form, ten cards per A4 page.
 */
import { renderCardsPdf, type Card } from "@haki/paper-card/render";
import { encodeProof } from "@haki/qr/codec";
import { createTranslator, type Locale } from "@haki/i18n";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";

/** Cards per PDF: pdf-lib keeps a document in memory until saved, so large runs come in parts. */
export const CARDS_PER_PDF = 1000;

function benefitText(p: { benefitType: string; currency: string | null; item: string | null; unit: string | null; description: string | null; name: string }, c: { amount: string | null; quantity: string | null }): string {
  if (p.benefitType === "cash") return `${p.currency ?? ""} ${c.amount ?? ""}`.trim();
  if (p.benefitType === "inkind") return `${c.quantity ?? ""} ${p.unit ?? ""} ${p.item ?? ""}`.trim();
  return [p.description ?? p.name, c.amount ? `${p.currency ?? ""} ${c.amount}`.trim() : ""].filter(Boolean).join(", ");
}

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
  const where = { cycleId, status: "issued", credential: { not: null } } as const;
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
  const t = createTranslator(options.locale, "issuer");
  const benefit = benefitText(cycle.programme, cycle);
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
  const pdf = await renderCardsPdf(cards, {
    issuerName: ctx.env.HAKI_ISSUER_NAME,
    locale: options.locale,
    labels: { programme: t("cards.programme"), gives: t("cards.gives"), validUntil: t("cards.validUntil"), card: t("cards.card") },
    direction: options.locale === "ar" ? "rtl" : "ltr",
  });
  await ctx.db.$transaction((tx) =>
    appendAuditEvent(tx, ctx, { actorId: actor.id, action: "cards.download", subject: cycleId, details: { part: options.part, cards: cards.length } }),
  );
  return { pdf, parts, cards: cards.length };
}
