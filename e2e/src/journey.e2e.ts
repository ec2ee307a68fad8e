/**
 * The whole chain, as people use it: the README's start command runs issuer, wallet and verifier
 * (with its demo data, in a fresh data folder), and Debian's Chromium plays the programme office,
 * the beneficiary's phone and the service point's phone (issue 7).
 *
 * Longer than 400 lines on purpose: one story whose steps share the running apps and three browser
 * sessions (starting them again for each part would cost minutes); each step is one `story.step`.
 *
 *   1. An officer signs in, imports a CSV registry, creates a programme and a cycle; an approver
 *      approves it; bulk issuance runs to the end.
 *   2. The wallet scans the offer QR (fake camera), takes the PIN, stores the credential.
 *   3. The verifier, online, asks the phone over OpenID4VP ("enrolled, valid today"): the wallet
 *      scans the verifier's QR, shows who asks and what would be shared, refuses to send more than
 *      the person ticked, then answers; the answer goes through the issuer's relay, which holds
 *      ciphertext only; the verifier shows "enrolled" and no name.
 *      The verifier, offline, scans the QR the wallet shows (a screenshot of the wallet fed to its
 *      camera), shows green and records the hand-over.
 *   4. Back online, the receipt reaches the issuer once; the cycle page counts it.
 *   5. The officer revokes the credential; the verifier updates its lists; the same proof is red,
 *      "cancelled".
 *   6. Another beneficiary's paper card (PDF -> image) is scanned and accepted.
 *   7. The start command run again keeps the data and adds nothing twice.
 *
 * Screenshots of each step land in artifacts/e2e/. `pnpm --filter @haki/e2e test:e2e`
 * (scripts/test-e2e.sh runs it). Needs ports 3000-3002 free, /usr/bin/chromium and pdftoppm.
 */
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb } from "@haki/db";
import { generateRegistry } from "@haki/demo-data/generate";
import { csvColumnMapping, writeSyntheticRegistryCsv } from "@haki/demo-data/csv";
import { decodeProof, decodeReferences } from "@haki/qr/codec";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, launchPhone, type PhoneSession } from "./kit/browser";
import { signIn, startApps, startDemoApps, URLS } from "./kit/apps";
import { writePngAsY4m } from "./kit/camera";
import { assertFits, PHONE } from "./kit/phone";
import { decodeQrFromPng } from "./kit/qr-image";
import { renderPdfPage, scanCardsOnPage } from "./kit/paper-card";
import { addServicePoint, approveCycleAsApprover, fillCycleForm } from "./kit/cycle";
import { assert, createStoryRunner } from "./kit/steps";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const ARTIFACTS = join(ROOT, "artifacts", "e2e");
// scripts/start-apps.ts puts the apps at HAKI_PORT_BASE (default 3000), +1 and +2.
const ISSUER = URLS.issuer;
const WALLET = URLS.wallet;
const VERIFIER = URLS.verifier;
/** The issuer's did:web (its QR codes name it by a short reference the decoder resolves from this). */
const ISSUER_DID = `did:web:${new URL(ISSUER).host.replace(":", "%3A")}`;
const PROGRAMME = { code: "journey-cash", name: "Journey cash transfer" };
const SERVICE_POINT = { id: "sp-journey", name: "Journey market stall" };
const WALLET_PIN = "482913";
const CONTACT = "Call 0800 720 720 (free), Journey office";
// Households 5000-5299 of another seed: none shares a registry id with the demo registry (0-1999).
const REGISTRY = { households: 5300, start: 5000, seed: 2027, mix: { TZ: 1 } } as const;

const story = createStoryRunner(ARTIFACTS);
const log = (line: string) => console.log(`    ${line}`);

/** The area most households of the journey's registry live in (the programme serves that area). */
function busiestArea(): string {
  const counts = new Map<string, number>();
  for (const h of generateRegistry(REGISTRY)) counts.set(h.address.admin_area_code, (counts.get(h.address.admin_area_code) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "haki-journey-"));
  const dataDir = join(work, "data");
  const started = Date.now();
  const demo = await startDemoApps(dataDir, ARTIFACTS, "journey");
  // Replaced when the story runs `npm start` again (section 7).
  let apps = demo.apps;
  const password = demo.password;
  const area = busiestArea();
  const csv = join(work, "registry-export.csv");
  await writeSyntheticRegistryCsv(REGISTRY, createWriteStream(csv), { fullName: true });

  let office: Browser | undefined;
  let walletPhone: PhoneSession | undefined;
  let verifierPhone: PhoneSession | undefined;
  const walletProfile = join(work, "wallet-profile");
  const verifierProfile = join(work, "verifier-profile");
  let officer: Page | undefined;
  let approverContext: BrowserContext | undefined;
  let cycleUrl = "";
  let beneficiary = { ref: "", name: "" };
  let proofPng: Buffer | undefined;
  let proofMadeAt = 0;

  /** A fresh verifier launch whose camera plays `png` (the same profile each time). */
  const verifierWithCamera = async (png: Buffer | undefined, name: string) => {
    await verifierPhone?.close();
    let camera: string | undefined;
    if (png) {
      camera = join(work, `${name}.y4m`);
      writePngAsY4m(png, camera);
    }
    verifierPhone = await launchPhone(verifierProfile, { ...(camera ? { camera } : {}), onPageError: (m) => log(`[verifier page error] ${m}`) });
    return verifierPhone.page;
  };

  try {
    office = await launchChromium();
    const officeContext = await office.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
    officer = await officeContext.newPage();
    const o = officer;

    story.chapter("1. programme office");
    await story.step("an officer signs in and imports a CSV registry export", { page: () => o, shot: "01-import" }, async () => {
      await signIn(o, "officer@haki.local", password);
      await o.goto(`${ISSUER}/imports`);
      const form = o.locator("form.card").filter({ hasText: "New source" });
      await form.locator("input[name=name]").fill("Journey registry export");
      await form.locator("textarea[name=mapping]").fill(Object.entries(csvColumnMapping({ fullName: true })).map(([c, f]) => `${c} = ${f}`).join("\n"));
      await form.locator("button[type=submit]").click();
      const source = o.locator("section.card").filter({ has: o.locator('input[name=name][value="Journey registry export"]') });
      await source.locator("input[type=file]").setInputFiles(csv);
      await source.getByRole("button", { name: "Start import" }).click();
      await source.getByText(/Completed: Rows 300, Rejected 0/).waitFor({ timeout: 60_000 });
    });

    await story.step("creates a programme and prepares a cycle (with a live count of who qualifies)", { page: () => o }, async () => {
      await o.goto(`${ISSUER}/programmes`);
      await o.fill("input[name=code]", PROGRAMME.code);
      await o.fill("form input[name=name]", PROGRAMME.name);
      await o.selectOption("select[name=benefitType]", "cash");
      await o.fill("input[name=currency]", "TZS");
      await o.selectOption("select[name=area]", area);
      await o.fill("input[name=contact]", CONTACT);
      await o.click("form.card button[type=submit]");
      await o.waitForURL(/\/programmes\/[0-9a-f-]{36}$/);
      await fillCycleForm(o, { code: "2026-journey", amount: "50000" });
      await o.click("button[value=preview]");
      const qualify = o.locator("p.ok").filter({ hasText: /\d+ beneficiaries qualify/ });
      log(`${await qualify.textContent()} in ${area}`);
      await o.click("button[value=prepare]");
      await o.waitForURL(/\/cycles\/[0-9a-f-]{36}$/);
      cycleUrl = o.url();
      // Submitting freezes who qualifies; the approver approves that list.
      await o.click("button[value=submit]");
      await o.getByTestId("frozen").waitFor();
      assert((await o.getByTestId("approve").count()) === 0, "the officer who prepared it cannot approve it");
    });

    await story.step("a second user (approver) approves it", { page: () => o }, async () => {
      approverContext = await office!.newContext({ viewport: { width: 1280, height: 900 } });
      const a = await approverContext.newPage();
      await approveCycleAsApprover(a, cycleUrl, password);
      await a.getByText("Approved by: Approver").waitFor();
      await approverContext.close();
    });

    await story.step("bulk issuance runs to the end", { page: () => o, shot: "02-cycle-issued" }, async () => {
      await o.goto(cycleUrl);
      await o.click("button[value=issue]");
      await o.getByText(/^Finished: (\d+) \/ \1/).waitFor({ timeout: 120_000 });
      await o.reload();
      await o.getByText("State: Issued").waitFor();
    });

    story.chapter("2. beneficiary's phone");
    let offerPng: Buffer | undefined;
    let pin = "";
    await story.step("the officer sends a card to a beneficiary's phone (offer QR and PIN)", { page: () => o, shot: "03-offer" }, async () => {
      const row = o.locator("[data-testid=entitlements] tbody tr").first();
      beneficiary = { ref: (await row.locator("td.mono").textContent()) ?? "", name: (await row.locator("td").nth(1).textContent()) ?? "" };
      await row.getByRole("button", { name: "Send to phone", exact: true }).click();
      const qr = row.locator("svg").first();
      await qr.waitFor();
      pin = (await row.locator("strong.mono").textContent()) ?? "";
      offerPng = await qr.screenshot();
      writeFileSync(join(ARTIFACTS, "offer-qr.png"), offerPng);
      const text = decodeQrFromPng(offerPng);
      assert(text?.startsWith("openid-credential-offer://"), `the offer QR reads as an OpenID4VCI offer (${text?.slice(0, 40)})`);
      assert(/^\d{6}$/.test(pin), `a 6-digit PIN is shown (${pin})`);
      log(`${beneficiary.ref} ${beneficiary.name}`);
    });

    await story.step("the wallet scans the offer QR with its camera, takes the PIN and stores the card", { page: () => walletPhone?.page, shot: "04-wallet-card" }, async () => {
      const camera = join(work, "offer.y4m");
      writePngAsY4m(offerPng!, camera);
      walletPhone = await launchPhone(walletProfile, { camera, onPageError: (m) => log(`[wallet page error] ${m}`) });
      const w = walletPhone.page;
      await w.goto(WALLET);
      await w.click("button.big.primary:has-text('Add a person')");
      await w.fill('input[name="label"]', beneficiary.name.split(" ")[0] ?? "Me");
      await w.click('button[type="submit"]');
      for (let i = 0; i < 2; i++) {
        for (const d of WALLET_PIN) await w.click(`[data-key="${d}"]`);
        await w.click('[data-key="ok"]');
        if (i === 0) await w.waitForSelector(".pin-dots[data-count='0']");
      }
      await w.waitForSelector("nav.bottom", { timeout: 30_000 });
      await w.click("text=Add a card");
      await w.click("text=Scan the QR code");
      await w.fill('input[name="txCode"]', pin, { timeout: 30_000 });
      await w.click("form button[type='submit']");
      await w.waitForSelector("text=Your card was added.", { timeout: 30_000 });
      // The card list loads its cards after it opens: wait for the programme's name.
      await w.locator("main").getByText(PROGRAMME.name).first().waitFor({ timeout: 15_000 });
    });

    story.chapter("3. service point, offline");
    await story.step("the officer registers a service point; the verifier enrols with its set-up code", { page: () => verifierPhone?.page ?? o, shot: "05-verifier-enrolled" }, async () => {
      const setupQr = await addServicePoint(o, SERVICE_POINT, area, PROGRAMME.code);
      // The console shows the code as a QR with when it stops working; the verifier's camera reads it.
      const expires = o.getByTestId("setup-expires");
      assert(/Works once, until/.test((await expires.textContent({ timeout: 10_000 })) ?? ""), "a readable expiry");
      const setupPng = await setupQr.screenshot();
      assert(decodeQrFromPng(setupPng)?.startsWith("HAKI-SETUP:"), "the set-up QR reads as a set-up code");
      await story.shot(o, "05a-setup-code");
      const v = await verifierWithCamera(setupPng, "setup-code");
      await v.goto(VERIFIER);
      await v.getByRole("button", { name: "Scan set-up code" }).click();
      await v.waitForFunction(() => (document.querySelector("textarea[name=setup]") as HTMLTextAreaElement | null)?.value.startsWith("HAKI-SETUP:"), undefined, { timeout: 30_000 });
      await v.locator("input[name=label]").fill("Counter 1");
      await v.getByRole("button", { name: "Set up", exact: true }).click();
      await v.getByTestId("service-point").filter({ hasText: SERVICE_POINT.name }).waitFor({ timeout: 20_000 });
      await v.locator('[data-testid=lists-age][data-old="false"]').waitFor({ timeout: 20_000 });
      await v.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    });

    await story.step("OpenID4VP: the verifier asks the phone 'enrolled, valid today'; the wallet answers through the issuer's relay, which holds ciphertext only", { page: () => verifierPhone?.page ?? o }, async () => {
      const db = createDb(`file:${join(dataDir, "haki.db")}`);
      const v = verifierPhone!.page;
      try {
        await v.setViewportSize(PHONE);
        // The verifier's polls are held back until the relay's table has been read.
        let released = false;
        await verifierPhone!.context.route("**/api/openid4vp/requests/*/answer", (route) => (released ? route.continue() : route.abort()));
        await v.getByTestId("ask-phone").click();
        await v.getByTestId("preset-enrolment").check();
        await v.getByTestId("ask-phone-show").click();
        await v.locator("[data-testid=ask-phone-qr] .qr svg, [data-testid=ask-phone-failed]").first().waitFor({ timeout: 20_000 });
        const failed = await v.getByTestId("ask-phone-failed").getAttribute("data-code", { timeout: 100 }).catch(() => null);
        assert(failed === null, `the request was not sent: ${failed}`);
        await assertFits(v, v.getByRole("button", { name: "Cancel" }), "verifier request QR (360 x 740)");
        await story.shot(v, "05b-verifier-asks");
        const requestPng = await v.locator("[data-testid=ask-phone-qr] .qr").screenshot();
        const requestUri = decodeQrFromPng(requestPng) ?? "";
        assert(/^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3Akey%3A.*&request_uri=http/.test(requestUri), `an OpenID4VP request by reference: ${requestUri.slice(0, 60)}`);

        // The wallet, relaunched with that QR in front of its camera; the PIN again.
        const camera = join(work, "vp-request.y4m");
        writePngAsY4m(requestPng, camera);
        await walletPhone?.close();
        walletPhone = await launchPhone(walletProfile, { camera, viewport: PHONE, onPageError: (m) => log(`[wallet page error] ${m}`) });
        const w = walletPhone.page;
        await w.goto(WALLET);
        for (const d of WALLET_PIN) await w.click(`[data-key="${d}"]`);
        await w.click('[data-key="ok"]');
        await w.getByTestId("open-share").click({ timeout: 30_000 });
        await w.getByTestId("share-scan").click();
        const consent = w.getByTestId("share-consent");
        await consent.waitFor({ timeout: 30_000 });
        const who = (await w.getByTestId("share-who").textContent()) ?? "";
        assert(who.includes(SERVICE_POINT.name) && who.includes(new URL(ISSUER).host), `who asks and where the answer goes: ${who}`);
        assert((await w.getByTestId("share-authentication").getAttribute("data-authentication")) === "signed-by-did", "how the asker was authenticated");
        const askedText = (await w.getByTestId("share-asked").textContent()) ?? "";
        const extraText = (await w.getByTestId("share-extra").textContent()) ?? "";
        assert(askedText.includes("The programme") && !askedText.includes("Your name"), `asked: the programme only (${askedText})`);
        assert(extraText.includes("Your name") && extraText.includes("Your benefit"), `what the card cannot hide is said: ${extraText}`);
        // A long screen: the Share button is reached by scrolling, and then whole and on top.
        await w.getByTestId("share-send").scrollIntoViewIfNeeded();
        await assertFits(w, w.getByTestId("share-send"), "wallet consent (360 x 740)");
        await story.shot(w, "05c-wallet-consent");

        // Share with the name and amount not ticked: refused, nothing sent.
        await w.getByTestId("share-send").click();
        const refused = (await w.getByTestId("share-error").textContent({ timeout: 15_000 })) ?? "";
        assert(/more than you agreed/.test(refused), `refused beyond consent: ${refused}`);
        const waiting = await db.openid4vpRelay.findMany();
        assert(waiting.length === 1 && waiting[0]!.answer === null, "nothing reached the relay");

        for (const box of await w.getByTestId("share-extra").locator("input[type=checkbox]").all()) await box.check();
        await w.getByTestId("share-send").click();
        await w.getByText(`Shared with ${SERVICE_POINT.name}.`).waitFor({ timeout: 30_000 });

        // What the issuer holds: a JWE for the verifier's key, and no claim value anywhere in the row.
        const rows = await db.openid4vpRelay.findMany();
        assert(rows.length === 1 && rows[0]!.answerKind === "jwe", `one answer, as a JWE (${rows.map((r) => r.answerKind).join()})`);
        const jwe = rows[0]!.answer ?? "";
        const header = JSON.parse(Buffer.from(jwe.split(".")[0] ?? "", "base64url").toString()) as { alg?: string; enc?: string };
        assert(jwe.split(".").length === 5 && header.alg === "ECDH-ES" && /^A(128|256)GCM$/.test(header.enc ?? ""), `compact JWE, ECDH-ES (${JSON.stringify(header)})`);
        const stored = JSON.stringify(rows);
        for (const value of [beneficiary.name, beneficiary.ref, "50000", "vp_token"]) assert(!stored.includes(value), `the relay's row does not contain ${value}`);

        released = true;
        const result = v.getByTestId("ask-phone-result");
        await result.waitFor({ timeout: 30_000 });
        await story.shot(v, "05d-verifier-phone-answer");
        assert((await result.getAttribute("data-outcome")) === "green", `expected green, got ${await result.getAttribute("data-reason")}`);
        const said = (await result.textContent()) ?? "";
        assert(said.includes(`Enrolled in ${PROGRAMME.name}`), `the answer: ${said}`);
        assert(!said.includes(beneficiary.name) && !said.includes("50,000"), "no name or amount on the counter's screen");
        assert((await db.openid4vpRelay.count()) === 0, "handed over once, then deleted from the relay");
        await v.getByRole("button", { name: "Done" }).click();
        await verifierPhone!.context.unroute("**/api/openid4vp/requests/*/answer");
        await w.setViewportSize({ width: 390, height: 844 });
      } finally {
        await db.$disconnect();
      }
    });

    await story.step("the wallet shows its QR code", { page: () => walletPhone?.page, shot: "06-wallet-qr" }, async () => {
      const w = walletPhone!.page;
      await w.click("button.card");
      await w.click("text=Show my QR code");
      await w.waitForSelector('[data-testid="proof-qr"] svg path');
      proofMadeAt = Date.now();
      proofPng = await w.locator('[data-testid="proof-qr"]').screenshot();
      const text = decodeQrFromPng(proofPng);
      assert(text?.startsWith("HK2:"), "the wallet's QR reads as a Haki proof (format 2)");
      // The proof names the issuer, its key and the programme by references into the trust bundle.
      const signed = ((await (await fetch(`${ISSUER}/api/verifier/trust-bundle`)).json()) as { bundle: string }).bundle;
      const bundle = JSON.parse(Buffer.from(signed.split(".")[1] ?? "", "base64url").toString()) as {
        issuers: { did: string; keys: { id: string }[] }[];
        programmes: { id: string; name: string }[];
      };
      assert(decodeProof(text ?? "", decodeReferences(bundle.issuers, bundle.programmes)).kind === "presentation", "a holder-bound presentation");
    });

    await story.step("the verifier, with no network, scans the wallet's screen: green, and records the hand-over", { page: () => verifierPhone?.page }, async () => {
      const v = await verifierWithCamera(proofPng, "wallet-proof");
      await verifierPhone!.context.setOffline(true);
      await v.goto(VERIFIER);
      await v.getByTestId("network").filter({ hasText: "Offline" }).waitFor({ timeout: 15_000 });
      await v.getByTestId("scan").click();
      const result = v.getByTestId("result");
      await result.waitFor({ timeout: 30_000 });
      await story.shot(v, "07-verifier-green");
      assert((await result.getAttribute("data-outcome")) === "green", `expected green, got ${await result.getAttribute("data-code")}`);
      assert((await v.getByTestId("display-name").textContent()) === beneficiary.name, "shows the beneficiary's name to check");
      await v.getByTestId("hand-over").click();
      await v.getByTestId("confirm").click();
      await v.getByTestId("recorded").waitFor({ timeout: 10_000 });
      await v.getByRole("button", { name: "Done" }).click();
      await v.locator('[data-testid=pending][data-count="1"]').waitFor({ timeout: 10_000 });
    });

    story.chapter("4. back online");
    await story.step("the network comes back: the receipt reaches the issuer once and the cycle page counts it", { page: () => o, shot: "08-cycle-redeemed" }, async () => {
      const v = verifierPhone!.page;
      await verifierPhone!.context.setOffline(false);
      await v.locator('[data-testid=pending][data-count="0"]').waitFor({ timeout: 30_000 });
      // Reloading must not send it again.
      await v.reload();
      await v.getByTestId("service-point").waitFor();
      // The cycle's counts are kept while they are slow to compute (a loaded server) and refreshed
      // once a receipt marks them stale: the next views show the hand-over.
      const counted = o.getByTestId("redeemed");
      for (let view = 0; view < 10; view++) {
        await o.goto(cycleUrl);
        if ((await counted.getAttribute("data-redeemed")) === "1") break;
        await o.waitForTimeout(500);
      }
      assert((await counted.getAttribute("data-redeemed")) === "1", `redeemed ${await counted.getAttribute("data-redeemed")}`);
      assert((await counted.getAttribute("data-receipts")) === "1", `receipts ${await counted.getAttribute("data-receipts")}`);
      assert((await counted.getAttribute("data-double")) === "0", "no double redemption");
    });

    await story.step("the wallet learns from the programme office what was handed over, where and when: nothing is left", { page: () => walletPhone?.page, shot: "08a-wallet-received" }, async () => {
      const w = walletPhone!.page;
      await w.click(".present button.primary");
      await w.click("main button.link");
      await w.click('[data-testid="refresh"]');
      await w.locator('[data-state="used-up"]').waitFor({ timeout: 30_000 });
      await w.click("button.card");
      const handOvers = (await w.getByTestId("hand-overs").textContent()) ?? "";
      assert(handOvers.includes(SERVICE_POINT.name) && /TZS\s50,000/.test(handOvers), `the hand-over in the wallet: ${handOvers}`);
      const where = (await w.getByTestId("card-where").textContent()) ?? "";
      assert(!where.includes(area), `the area by its place name, not ${area}: ${where}`);
      assert(await w.getByTestId("present").isDisabled(), "nothing left to show a code for");
    });

    story.chapter("5. revocation");
    await story.step("the officer revokes the card; the verifier updates its lists; the same proof is now red: cancelled", { page: () => verifierPhone?.page ?? o }, async () => {
      const row = o.locator("table tbody tr").filter({ has: o.locator("td.mono", { hasText: beneficiary.ref }) });
      await row.getByRole("button", { name: "Revoke" }).click();
      const dialog = o.locator("dialog[open]");
      await dialog.locator("textarea[name=reason]").fill("Phone reported stolen (journey test)");
      await dialog.getByRole("button", { name: "Revoke for good" }).click();
      await row.getByText("Revoked").waitFor({ timeout: 15_000 });
      const v = verifierPhone!.page;
      await v.getByRole("button", { name: "Update now" }).click();
      await v.getByRole("button", { name: "Update now" }).waitFor({ timeout: 20_000 });
      await v.locator('[data-testid=lists-age][data-old="false"]').waitFor();
      const age = (Date.now() - proofMadeAt) / 1000;
      assert(age < 170, `the proof is still inside the verifier's window (${age.toFixed(0)} s old)`);
      await v.getByTestId("scan").click();
      const result = v.getByTestId("result");
      await result.waitFor({ timeout: 30_000 });
      await story.shot(v, "09-verifier-red-revoked");
      assert((await result.getAttribute("data-outcome")) === "red", "expected red");
      assert((await result.getAttribute("data-code")) === "ERR_CREDENTIAL_REVOKED", `code ${await result.getAttribute("data-code")}`);
      const reason = (await v.getByTestId("reason").textContent()) ?? "";
      assert(/cancelled/i.test(reason), `plain-words reason: ${reason}`);
      assert((await v.getByTestId("contact").textContent())?.includes(CONTACT), "whom to contact, from the trust bundle");
      await v.getByRole("button", { name: "Done" }).click();
      // The wallet, asked again, says the card was cancelled and whom to ask.
      const w = walletPhone!.page;
      await w.click("main button.link");
      await w.click('[data-testid="refresh"]');
      await w.locator('[data-state="revoked"]').waitFor({ timeout: 30_000 });
      await w.click("button.card");
      const why = (await w.getByTestId("card-reason").textContent()) ?? "";
      assert(why.includes("cancelled") && why.includes(CONTACT), `the wallet says why and whom to ask: ${why}`);
    });

    story.chapter("6. paper card");
    await story.step("another beneficiary's paper card (PDF rendered to an image) is scanned and accepted", { page: () => verifierPhone?.page ?? o }, async () => {
      const res = await o.request.get(`${cycleUrl.replace("/cycles/", "/api/cycles/")}/cards?locale=en`);
      assert(res.ok(), `cards PDF: HTTP ${res.status()}`);
      const pdf = await res.body();
      writeFileSync(join(ARTIFACTS, "cards.pdf"), pdf);
      const card = scanCardsOnPage(renderPdfPage(pdf), { issuers: [ISSUER_DID] }).find((c) => c.beneficiary !== beneficiary.ref);
      assert(card, "a card of another beneficiary on the first page reads back");
      assert(card.format === "vc2", `a new cycle's card carries a VC 2.0 credential (${card.format})`);
      writeFileSync(join(ARTIFACTS, "10-paper-card.png"), card.png);
      const v = await verifierWithCamera(card.png, "paper-card");
      await verifierPhone!.context.setOffline(true);
      await v.goto(VERIFIER);
      await v.getByTestId("scan").click();
      const result = v.getByTestId("result");
      await result.waitFor({ timeout: 30_000 });
      await story.shot(v, "11-verifier-paper-card");
      assert((await result.getAttribute("data-outcome")) === "green", `expected green, got ${await result.getAttribute("data-code")}`);
      assert((await v.getByTestId("display-name").textContent()) === (card.name ?? ""), "shows the card holder's name");
    });

    story.chapter("7. npm start again");
    await story.step("re-running the start command keeps the data and adds nothing twice", { page: () => o, shot: "12-after-restart" }, async () => {
      const snapshot = async () => {
        await o.goto(`${ISSUER}/redemptions`);
        const cycles = (await o.locator("table").first().locator("tbody").innerText()).trim();
        await o.goto(`${ISSUER}/programmes`);
        return { cycles, programmes: await o.locator("table tbody tr").count() };
      };
      const before = await snapshot();
      assert(before.programmes === 3, `two demo programmes and the journey's (${before.programmes})`);
      await apps.stop();
      apps = await startApps(dataDir, ARTIFACTS);
      const after = await snapshot(); // the officer's session is kept too
      assert(JSON.stringify(after) === JSON.stringify(before), `same data after a restart:\n${JSON.stringify(before)}\n${JSON.stringify(after)}`);
    });
  } finally {
    await walletPhone?.close().catch(() => undefined);
    await verifierPhone?.close().catch(() => undefined);
    await office?.close().catch(() => undefined);
    await apps.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const { passed, failed, ok } = story.summary();
  console.log(`\n${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s); screenshots in artifacts/e2e/`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
