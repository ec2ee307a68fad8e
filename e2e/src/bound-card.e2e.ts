/**
 * A paper card bound to a person (issue 16), with the real apps (`npm start`'s script, fresh data
 * folder): the office imports a registry export with national ID numbers and dates of birth, adds
 * a national ID authority's public key in the console, registers a service point whose verifier
 * is set up while the programme does not bind cards yet, then switches binding on ("refuse without
 * the matching ID card"), prepares, approves and issues a cycle and prints its cards. The verifier
 * gets the programme's binding key at its next refresh; then, with the issuer unreachable, it
 * accepts Amina's printed card with Amina's Claim 169 ID card and refuses it with Baraka's, both
 * filmed by the fake camera (the card, then the ID card). The printed card's QR carries the
 * binding in the codec's compact form (not the JWT text); its length is logged beside bench:qr's
 * paper target (311 characters), which `pnpm bench:qr` measures (targets live in benchmarks).
 *
 *   tsx e2e/src/bound-card.e2e.ts   (ports HAKI_PORT_BASE .. +2, /usr/bin/chromium, pdftoppm)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeClaim169 } from "@haki/claim169/encode";
import { makeIdentityAuthority } from "@haki/claim169/testing";
import { decodeProof } from "@haki/qr/codec";
import type { Browser, Page } from "playwright-core";
import { signIn, startDemoApps, URLS } from "./kit/apps";
import { launchChromium, launchPhone, type PhoneSession } from "./kit/browser";
import { writeQrSequenceAsY4m } from "./kit/camera";
import { readPrintedCards } from "./kit/paper-card";
import { PHONE, unreachable } from "./kit/phone";
import { decodeQrFromPng } from "./kit/qr-image";
import { addServicePoint, approveCycleAsApprover, fillCycleForm } from "./kit/cycle";
import { assert, createStoryRunner, runStory } from "./kit/steps";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const ARTIFACTS = join(ROOT, "artifacts", "e2e-bound-card");
const ISSUER_DID = `did:web:${new URL(URLS.issuer).host.replace(":", "%3A")}`;
/** bench:qr's paper target (issue 13), reported beside the printed card's length. */
const PAPER_QR_TARGET = 311;
const AREA = "ZZ-BOUND";
const PROGRAMME = { code: "bound-cash", name: "Bound cash transfer" };
const SERVICE_POINT = { id: "sp-bound-clinic", name: "Bound clinic counter" };
const AUTHORITY = { id: "https://id.bound.example", name: "National Registration Bureau (test)" };
// The registry export: national ID numbers and dates of birth as the registry writes them.
const PEOPLE = [
  { registryId: "BND-0001", name: "Amina Wanjiru Njeri", id: "29-4410-7765", birth: "1988-01-02" },
  { registryId: "BND-0002", name: "Baraka Otieno", id: "31-0092-1184", birth: "1991-06-15" },
  { registryId: "BND-0003", name: "Chausiku Mrema", id: "27-5531-0042", birth: "1979-11-30" },
] as const;

const story = createStoryRunner(ARTIFACTS);
const log = (line: string) => console.log(`    ${line}`);

/** The payload of a VC-JWT (no check: the apps under test do the checking). */
function subjectOf(jwt: string): { name?: string; idBinding?: { kid: string; fields: string } } {
  const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as { vc?: { credentialSubject?: object }; credentialSubject?: object };
  return (payload.vc?.credentialSubject ?? payload.credentialSubject ?? {}) as ReturnType<typeof subjectOf>;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "haki-bound-card-"));
  const dataDir = join(work, "data");
  const { apps, password } = await startDemoApps(dataDir, ARTIFACTS, "bound card");
  const authority = await makeIdentityAuthority({ id: AUTHORITY.id, name: AUTHORITY.name });
  const csv = join(work, "registry-with-ids.csv");
  writeFileSync(
    csv,
    ["group_identifier,full_name,admin_area_code,group_size,national_id,birth_date", ...PEOPLE.map((p) => `${p.registryId},${p.name},${AREA},3,${p.id},${p.birth}`)].join("\n") + "\n",
  );

  let office: Browser | undefined;
  let phone: PhoneSession | undefined;
  const profile = join(work, "verifier-profile");
  let programmeUrl = "";
  let cycleUrl = "";
  let aminaCard = "";

  try {
    office = await launchChromium();
    const o: Page = await (await office.newContext({ viewport: { width: 1280, height: 900 } })).newPage();

    await story.step("an officer imports a registry export with national ID numbers and dates of birth", { page: () => o }, async () => {
      await signIn(o, "officer@haki.local", password);
      await o.goto(`${URLS.issuer}/imports`);
      const form = o.locator("form.card").filter({ hasText: "New source" });
      await form.locator("input[name=name]").fill("Civil registry with IDs");
      await form
        .locator("textarea[name=mapping]")
        .fill(["group_identifier = registryId", "full_name = name", "admin_area_code = area", "group_size = householdSize", "national_id = nationalId", "birth_date = birthDate"].join("\n"));
      await form.locator("button[type=submit]").click();
      const source = o.locator("section.card").filter({ has: o.locator('input[name=name][value="Civil registry with IDs"]') });
      await source.locator("input[type=file]").setInputFiles(csv);
      await source.getByRole("button", { name: "Start import" }).click();
      await source.getByText(/Completed: Rows 3, Rejected 0/).waitFor({ timeout: 60_000 });
    });

    await story.step("adds the national ID authority's public key in the console", { page: () => o, shot: "01-identity-authority" }, async () => {
      await o.goto(`${URLS.issuer}/identity-authorities`);
      const form = o.locator("#add-identity-authority");
      await form.locator("input[name=name]").fill(AUTHORITY.name);
      await form.locator("input[name=issuer]").fill(AUTHORITY.id);
      await form.locator("select[name=alg]").selectOption("EdDSA");
      await form.locator("textarea[name=publicKey]").fill(JSON.stringify(authority.issuer.keys[0]!.publicKeyJwk));
      await form.locator("button[type=submit]").click();
      await o.getByTestId("identity-authorities").getByText(AUTHORITY.id).waitFor({ timeout: 20_000 });
    });

    await story.step("creates the programme (binding still off) and a service point; the verifier is set up with its code", { page: () => phone?.page ?? o }, async () => {
      await o.goto(`${URLS.issuer}/programmes`);
      await o.fill("input[name=code]", PROGRAMME.code);
      await o.fill("form input[name=name]", PROGRAMME.name);
      await o.selectOption("select[name=benefitType]", "cash");
      await o.fill("input[name=currency]", "KES");
      await o.selectOption("select[name=area]", AREA);
      await o.click("form.card button[type=submit]");
      await o.waitForURL(/\/programmes\/[0-9a-f-]{36}$/);
      programmeUrl = o.url();

      const setupQr = await addServicePoint(o, SERVICE_POINT, AREA, PROGRAMME.code);
      const setup = decodeQrFromPng(await setupQr.screenshot());
      assert(setup?.startsWith("HAKI-SETUP:"), "the set-up QR reads as a set-up code");

      phone = await launchPhone(profile, { viewport: PHONE, onPageError: (m) => log(`[verifier page error] ${m}`) });
      const v = phone.page;
      await v.goto(URLS.verifier);
      await v.locator("textarea[name=setup]").fill(setup ?? "");
      await v.getByRole("button", { name: "Set up", exact: true }).click();
      await v.getByTestId("service-point").filter({ hasText: SERVICE_POINT.name }).waitFor({ timeout: 20_000 });
      await v.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    });

    await story.step("switches ID binding on for the programme (refuse without the matching ID card), then prepares, approves and issues a cycle", { page: () => o, shot: "02-cycle-issued" }, async () => {
      await o.goto(programmeUrl);
      await o.locator("#id-binding select[name=mode]").selectOption("refuse");
      await o.locator("#id-binding button[type=submit]").click();
      await o.waitForLoadState("networkidle");
      await o.goto(programmeUrl);
      assert((await o.locator("#id-binding select[name=mode]").inputValue()) === "refuse", "binding is on");

      await fillCycleForm(o, { code: "2026-bound", amount: "3000" });
      await o.click("button[value=prepare]");
      await o.waitForURL(/\/cycles\/[0-9a-f-]{36}$/);
      cycleUrl = o.url();
      await o.click("button[value=submit]");
      await o.getByTestId("frozen").waitFor();

      const approverContext = await office!.newContext({ viewport: { width: 1280, height: 900 } });
      const a = await approverContext.newPage();
      await approveCycleAsApprover(a, cycleUrl, password);
      await approverContext.close();

      await o.goto(cycleUrl);
      await o.click("button[value=issue]");
      await o.getByText(/^Finished: 3 \/ 3/).waitFor({ timeout: 120_000 });
    });

    await story.step("prints the cycle's cards: each QR carries the binding (no ID number) in the compact form", { page: () => o }, async () => {
      const res = await o.request.get(`${cycleUrl.replace("/cycles/", "/api/cycles/")}/cards?locale=en`);
      assert(res.ok(), `cards PDF: HTTP ${res.status()}`);
      const printed = readPrintedCards(await res.body());
      assert(printed.length === PEOPLE.length, `${PEOPLE.length} cards read back from the PDF (${printed.length})`);
      for (const card of printed) {
        const decoded = decodeProof(card.text, { issuers: [ISSUER_DID] });
        const subject = subjectOf(decoded.jwt);
        assert(subject.idBinding?.fields === "id+birthDate", `the card of ${subject.name} carries its binding`);
        assert(!PEOPLE.some((p) => card.text.includes(p.id.replace(/-/g, "")) || decoded.jwt.includes(p.id)), "no ID number on the card");
        assert(decoded.format === "compact", `the printed QR is the compact form, not the JWT text (${card.text.length} characters)`);
        log(`${subject.name}: ${card.text.length} characters (bench:qr's paper target: ${PAPER_QR_TARGET})`);
        if (subject.name === PEOPLE[0].name) {
          aminaCard = card.text;
          writeFileSync(join(ARTIFACTS, "amina-card.png"), card.png);
        }
      }
      assert(aminaCard, "Amina's card is printed");
    });

    await story.step("the verifier, set up before binding was on, gets the programme's key at its next refresh", { page: () => phone?.page ?? o }, async () => {
      const v = phone!.page;
      await v.goto(URLS.verifier);
      const heldKeys = () =>
        v.evaluate(
          () =>
            new Promise<string[]>((done, fail) => {
              const open = indexedDB.open("haki-verifier");
              open.onerror = () => fail(new Error("no database"));
              open.onsuccess = () => {
                const get = open.result.transaction("meta").objectStore("meta").get("enrolment");
                get.onsuccess = () => {
                  done(((get.result as { bindingKeys?: { kid: string }[] } | undefined)?.bindingKeys ?? []).map((k) => k.kid));
                  open.result.close();
                };
                get.onerror = () => fail(new Error("no enrolment"));
              };
            }),
        );
      assert((await heldKeys()).length === 0, "no binding key before the refresh");
      await v.getByRole("button", { name: "Update now" }).click();
      let keys: string[] = [];
      for (let i = 0; i < 60 && keys.length === 0; i++) {
        await v.waitForTimeout(500);
        keys = await heldKeys();
      }
      assert(keys.length === 1, `one binding key after the refresh (${keys.join(", ")})`);
      await phone!.close();
      phone = undefined;
    });

    const counter = async (idOf: (typeof PEOPLE)[number], name: string) => {
      const camera = join(work, `${name}.y4m`);
      const idCard = await encodeClaim169(
        { id: idOf.id, fullName: idOf.name, dateOfBirth: idOf.birth.replace(/-/g, "") },
        { issuer: AUTHORITY.id, expiresAt: new Date(Date.now() + 365 * 86_400_000) },
        authority.signer,
      );
      await writeQrSequenceAsY4m([aminaCard, idCard], camera);
      await phone?.close();
      phone = await launchPhone(profile, { camera, viewport: PHONE, args: unreachable(URLS.verifier), onPageError: (m) => log(`[verifier page error] ${m}`) });
      const v = phone.page;
      await v.goto(URLS.verifier);
      await v.getByTestId("scan").click();
      await v.getByTestId("bound-ask").waitFor({ timeout: 30_000 });
      await v.getByTestId("scan-id").click();
      const shown = v.getByTestId("bound-result");
      await shown.waitFor({ timeout: 60_000 });
      await story.shot(v, name);
      return { outcome: await shown.getAttribute("data-outcome"), code: await shown.getAttribute("data-code"), page: v };
    };

    // Offline at the counter, Amina's printed card then a national ID card: the answer, and whether Hand over is offered.
    const atCounter = [
      { name: "offline, Amina's printed card with her own national ID card: accepted, Hand over", idOf: PEOPLE[0], shot: "03-bound-own-id", outcome: "accept", code: "BINDING_MATCH", handOver: true },
      { name: "offline, the same card with Baraka's national ID card: refused, the ID card belongs to someone else", idOf: PEOPLE[1], shot: "04-bound-other-id", outcome: "refuse", code: "BINDING_MISMATCH", handOver: false },
    ];
    for (const { name, idOf, shot, outcome, code, handOver } of atCounter) {
      await story.step(name, { page: () => phone?.page ?? o }, async () => {
        const r = await counter(idOf, shot);
        assert(r.outcome === outcome && r.code === code, `${outcome} ${code} expected (${r.outcome} ${r.code})`);
        assert((await r.page.getByTestId("hand-over").count()) === (handOver ? 1 : 0), handOver ? "Hand over is offered" : "no Hand over");
      });
    }
  } finally {
    await phone?.close();
    await office?.close();
    await apps.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

runStory(story, main);
