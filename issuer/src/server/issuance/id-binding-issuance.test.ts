/**
 * A programme that binds its paper cards to national IDs, through the real path: a CSV import
 * mapping the national ID number and date of birth (kept only sealed), the programme's setting, a
 * cycle issued by the issuance job, and the credential's binding checked with the key a service
 * point device receives, against the holder's facts and another person's; each card's salt derived
 * from its own id and status entry, a lost card's replacement included.
 */
import { describe, expect, it } from "vitest";
import { checkIdBinding } from "@haki/id-binding/binding";
import { cardSaltOf, statusEntryOf } from "@haki/id-binding/salt";
import { readEntitlementCredential, verifyCredential } from "@haki/credentials/verify";
import { testProviders } from "@haki/db/testing";
import { decodeProof, encodeProofWithFormat } from "@haki/qr/codec";
import { createCsvConnector } from "@haki/registry/csv";
import { createTestUser } from "@/test/context";
import { submitAndApprove } from "@/test/fixtures";
import { newId } from "@/server/lib/ids";
import { importRegistry } from "@/server/registry/import-registry";
import { saveSource } from "@/server/registry/save-source";
import { createProgramme } from "@/server/programmes/create-programme";
import { readBindingKeysFor, saveProgrammeIdBinding } from "@/server/programmes/save-programme-id-binding";
import { createCycle } from "@/server/cycles/create-cycle";
import { supersedeCredential } from "@/server/delivery/supersede-credential";
import { startIssuance } from "./start-issuance";
import { claimIssuanceJob } from "./claim-issuance-job";
import { runIssuanceJob } from "./run-issuance-job";
import { useTestContext } from "@/test/suite";

const mapping = { hh_id: "registryId", head: "name", district: "area", nid: "nationalId", dob: "birthDate" } as const;
const CSV = "hh_id,head,district,nid,dob\nH-1,Amina Njeri,KE-047,29-4410-7765,1988-01-02\nH-2,Baraka Otieno,KE-047,31-0092-1184,1991-06-15\nH-3,Grace Akinyi,KE-047,,\n";

describe.each(testProviders())("paper cards bound to national IDs on %s", (provider) => {
  const t = useTestContext(provider);

  it("issues each mapped person's card with a binding that matches only their own ID, keeps the ID number only sealed, and leaves unmapped people unbound; each card's salt comes from its own id and status entry, a replacement's too", async () => {
    const officer = await createTestUser(t.ctx, ["officer"]);
    const approver = await createTestUser(t.ctx, ["approver"]);
    const sourceId = (await saveSource(t.ctx, { name: "MIS export", mapping: { ...mapping } }, officer.actor)).id;
    const runId = newId();
    await t.ctx.db.importRun.create({ data: { id: runId, sourceId, fileName: "x.csv", bytesTotal: CSV.length } });
    const counts = await importRegistry(t.ctx, { runId, sourceId, connector: createCsvConnector({ open: () => [CSV], mapping: { ...mapping } }), actorId: officer.actor.id });
    expect(counts).toMatchObject({ created: 3, rejected: 0 });
    // Sealed at rest: no ID number or date of birth in any column.
    const rows = await t.ctx.db.beneficiary.findMany();
    expect(JSON.stringify(rows)).not.toMatch(/4410|7765|0092|1988-01-02/);
    expect(rows.filter((r) => r.identityFacts).length).toBe(2);

    const { id: programmeId } = await createProgramme(t.ctx, { code: "cash-bound", name: "Cash (bound)", benefitType: "cash", currency: "KES" }, officer.actor);
    await saveProgrammeIdBinding(t.ctx, { programmeId, mode: "refuse" }, officer.actor);
    const { id: cycleId } = await createCycle(t.ctx, { programmeId, code: "2027-03", validFrom: "2027-03-01", validUntil: "2027-04-01", amount: "3000", rule: { all: [] } }, officer.actor);
    await submitAndApprove(t.ctx, cycleId, officer.actor, approver.actor);
    const { jobId } = await startIssuance(t.ctx, cycleId, officer.actor);
    expect((await claimIssuanceJob(t.ctx, "w"))?.id).toBe(jobId);
    await runIssuanceJob(t.ctx, jobId, { workerId: "w" });

    const issued = await t.ctx.db.entitlement.findMany({ where: { cycleId }, include: { beneficiary: true } });
    expect(issued).toHaveLength(3);
    const [key] = await readBindingKeysFor(t.ctx, ["cash-bound"]);
    const trust = { issuers: [{ did: t.ctx.did, name: "x", keys: (await t.ctx.keys.listPublicKeys()).map((k) => ({ id: k.kid, publicKeyJwk: k.publicJwk })) }], updatedAt: "2027-03-01T00:00:00Z" };
    const byName = new Map(issued.map((e) => [e.beneficiary.displayName, e.credential!]));
    // Either JWT format (the cycle is VC 2.0 by default): the claims view keeps the subject under `vc`.
    const subjectOf = (jwt: string) => readEntitlementCredential(jwt)!.payload.vc.credentialSubject;
    for (const jwt of byName.values()) {
      expect(jwt).not.toMatch(/4410|7765|0092|1184/);
      expect((await verifyCredential(jwt, trust, { now: new Date("2027-03-10T00:00:00Z") })).valid).toBe(true);
    }
    const amina = subjectOf(byName.get("Amina Njeri")!).idBinding;
    expect(amina).toMatchObject({ kid: key!.kid, fields: "id+birthDate", logN: 15 });
    expect(subjectOf(byName.get("Grace Akinyi")!).idBinding).toBeUndefined();
    expect((await checkIdBinding(amina, { id: "2944107765", birthDate: "1988-01-02" }, [key!])).result).toBe("match");
    expect((await checkIdBinding(amina, { id: "31-0092-1184", birthDate: "1991-06-15" }, [key!])).result).toBe("no-match");
    expect((await checkIdBinding(subjectOf(byName.get("Baraka Otieno")!).idBinding, { id: "31-0092-1184", birthDate: "1991-06-15" }, [key!])).result).toBe("match");

    // Each card's salt is derived from its own id and status entry (no two cards share one), so
    // the QR code need not carry it.
    const payloadOf = (jwt: string) => readEntitlementCredential(jwt)!.payload;
    const salts = new Set<string>();
    for (const jwt of byName.values()) {
      const p = payloadOf(jwt);
      const b = p.vc.credentialSubject.idBinding;
      if (!b) continue;
      const status = p.vc.credentialStatus[0]!;
      const derived = cardSaltOf({ id: p.jti, statusEntry: statusEntryOf(status.statusListCredential, status.statusListIndex) });
      expect(b.salt).toBe(Buffer.from(derived!).toString("base64url"));
      salts.add(b.salt);
    }
    expect(salts.size).toBe(2);
    // The paper card's QR gives back the signed credential, binding included, without its salt.
    const qr = encodeProofWithFormat(byName.get("Amina Njeri")!, { issuers: [t.ctx.did] });
    expect(qr.format).toBe("compact");
    expect(decodeProof(qr.payload, { issuers: [t.ctx.did] }).jwt).toBe(byName.get("Amina Njeri"));

    // A lost card's replacement keeps the credential id but has a new status position: a new salt.
    const aminaRow = issued.find((e) => e.beneficiary.displayName === "Amina Njeri")!;
    await supersedeCredential(t.ctx, { entitlementId: aminaRow.id, lost: "card", reason: "Card lost at the market" }, officer.actor);
    const replacement = (await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: aminaRow.id } })).credential!;
    const replaced = payloadOf(replacement);
    const status = replaced.vc.credentialStatus[0]!;
    expect(replaced.jti).toBe(payloadOf(byName.get("Amina Njeri")!).jti);
    const newSalt = replaced.vc.credentialSubject.idBinding!.salt;
    expect(newSalt).not.toBe(amina!.salt);
    expect(newSalt).toBe(Buffer.from(cardSaltOf({ id: replaced.jti, statusEntry: statusEntryOf(status.statusListCredential, status.statusListIndex) })!).toString("base64url"));
    expect((await checkIdBinding(replaced.vc.credentialSubject.idBinding, { id: "2944107765", birthDate: "1988-01-02" }, [key!])).result).toBe("match");
    expect(decodeProof(encodeProofWithFormat(replacement, { issuers: [t.ctx.did] }).payload, { issuers: [t.ctx.did] }).jwt).toBe(replacement);
  }, 120_000);
});
