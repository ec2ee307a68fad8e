/**
 * Everything the office knows about one person, on one page: the household data kept from the
 * registry, every entitlement across cycles with its state, delivery and history, what service
 * points handed over, their grievances, and the audit trail of anything done to them. Every read
 * is by an index on the person or their entitlements: the same cost with a million others.
 */
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { readJsonColumn } from "@/server/lib/json-column";
import { readUserNames } from "@/server/auth/read-user-names";
import { deliveryState, type DeliveryState } from "@/server/delivery/delivery-state";
import { phoneFormActive } from "@/server/delivery/render-cycle-cards";

/** At most this many audit events and entitlements are shown (a person has a few dozen at most). */
export const PROFILE_LIMIT = 200;

/** One step in an entitlement's life, as the profile lists them. */
export interface EntitlementEvent {
  at: Date;
  /** issued | an audit action (offer.create, credential.deliver, entitlement.revoke, ...) | redeemed */
  what: string;
  actor: string | null;
  /** A reason, an amount and where, ... */
  detail?: string;
}

const Attributes = z.record(z.string(), z.union([z.string(), z.number()]));

/**
 * The profile of the person with this reference, or null.
 *
 * @example
 * const p = await readBeneficiaryProfile(ctx, "HK-7M2Q9XK4TB");
 * p.entitlements[0].delivery.phone; // "collected"
 */
export async function readBeneficiaryProfile(ctx: ServerContext, ref: string) {
  const { db } = ctx;
  const person = await db.beneficiary.findUnique({ where: { ref }, include: { source: { select: { name: true } } } });
  if (!person) return null;
  const [entitlements, grievances] = await Promise.all([
    db.entitlement.findMany({
      where: { beneficiaryId: person.id },
      orderBy: { createdAt: "desc" },
      take: PROFILE_LIMIT,
      include: {
        cycle: { include: { programme: true } },
        offers: { orderBy: { createdAt: "desc" }, take: 1 },
        receipts: { orderBy: { redeemedAt: "desc" } },
      },
    }),
    db.grievance.findMany({ where: { beneficiaryId: person.id }, orderBy: { createdAt: "desc" }, take: PROFILE_LIMIT }),
  ]);
  const subjects = [person.ref, ...entitlements.map((e) => e.id), ...grievances.map((g) => g.id)];
  const audit = await db.auditEvent.findMany({ where: { subject: { in: subjects } }, orderBy: { seq: "desc" }, take: PROFILE_LIMIT });
  const names = await readUserNames(ctx, [...audit.map((a) => a.actorId), ...grievances.flatMap((g) => [g.createdBy, g.resolvedBy])]);
  const now = ctx.now();
  const servicePoints = await db.servicePoint.findMany({
    where: { id: { in: [...new Set(entitlements.flatMap((e) => e.receipts.map((r) => r.servicePoint)))] } },
    select: { id: true, name: true },
  });
  const pointName = new Map(servicePoints.map((s) => [s.id, s.name]));
  return {
    person: {
      id: person.id,
      ref: person.ref,
      displayName: person.displayName,
      area: person.area,
      householdSize: person.householdSize,
      povertyScore: person.povertyScore,
      enrolment: person.enrolment,
      attributes: readJsonColumn(Attributes, person.attributes, "Beneficiary.attributes"),
      source: person.source.name,
      createdAt: person.createdAt,
      updatedAt: person.updatedAt,
    },
    entitlements: entitlements.map((e) => {
      const events: EntitlementEvent[] = [];
      if (e.issuedAt) events.push({ at: e.issuedAt, what: "issued", actor: null });
      for (const a of audit.filter((x) => x.subject === e.id)) {
        const details = readJsonColumn(z.record(z.string(), z.unknown()), a.details, "AuditEvent.details");
        events.push({ at: a.at, what: a.action, actor: a.actorId ? (names.get(a.actorId) ?? a.actorId) : null, ...(typeof details.reason === "string" ? { detail: details.reason } : {}) });
      }
      for (const r of e.receipts) events.push({ at: r.redeemedAt, what: "redeemed", actor: null, detail: pointName.get(r.servicePoint) ?? r.servicePoint });
      events.sort((a, b) => b.at.getTime() - a.at.getTime());
      const delivery: DeliveryState = deliveryState(e, e.offers[0], now);
      return {
        id: e.id,
        cycle: { id: e.cycle.id, code: e.cycle.code, validFrom: e.cycle.validFrom, validUntil: e.cycle.validUntil, amount: e.cycle.amount, quantity: e.cycle.quantity },
        programme: {
          id: e.cycle.programme.id,
          code: e.cycle.programme.code,
          name: e.cycle.programme.name,
          benefitType: e.cycle.programme.benefitType,
          currency: e.cycle.programme.currency,
          unit: e.cycle.programme.unit,
          item: e.cycle.programme.item,
        },
        status: e.status,
        statusReason: e.statusReason,
        statusChangedAt: e.statusChangedAt,
        issuedAt: e.issuedAt,
        replacedAt: e.replacedAt,
        // Under the one-form rule paper is printed for a phone-held entitlement only after an
        // officer confirms paper instead of the phone (`paperInstead`).
        printable: e.status === "issued" && Boolean(e.credential) && !phoneFormActive(e, e.cycle.programme),
        paperInstead: e.status === "issued" && Boolean(e.credential) && phoneFormActive(e, e.cycle.programme),
        delivery,
        receipts: e.receipts.map((r) => ({
          id: r.id,
          redeemedAt: r.redeemedAt,
          amount: r.amount,
          quantity: r.quantity,
          servicePoint: r.servicePoint,
          servicePointName: pointName.get(r.servicePoint) ?? r.servicePoint,
          doubleRedemption: r.doubleRedemption,
        })),
        events,
      };
    }),
    grievances: grievances.map((g) => ({
      ...g,
      createdByName: names.get(g.createdBy) ?? g.createdBy,
      resolvedByName: g.resolvedBy ? (names.get(g.resolvedBy) ?? g.resolvedBy) : null,
    })),
    audit: audit.map((a) => ({ seq: a.seq, at: a.at, action: a.action, actor: a.actorId ? (names.get(a.actorId) ?? a.actorId) : null, subject: a.subject })),
  };
}

export type BeneficiaryProfile = NonNullable<Awaited<ReturnType<typeof readBeneficiaryProfile>>>;
