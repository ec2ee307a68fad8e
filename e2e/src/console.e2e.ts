/**
 * The programme office's daily work in a real browser (issue 15), on the apps `npm start` runs
 * (demo data: 2,000 households, two issued cycles, a service point), driven through Debian's
 * Chromium:
 *
 * Longer than 400 lines on purpose: the steps share one running set of apps and one signed-in
 * browser (starting them again per file would cost minutes); each step is one `story.step`.
 *
 *   1. An officer finds a person by name (no accents typed), by reference and by registry id, and
 *      replaces their lost phone: the old card's status position is revoked in the published list,
 *      a new offer shows; the card printed again carries the new position.
 *   2. A grievance: an error next to the empty field, then recorded, filtered by category, resolved
 *      with a note, who and when shown.
 *   3. A cycle submitted, returned by an approver with a comment, submitted again and approved
 *      (confirmed); households imported after the approval are not issued (issue 12, section 2); a
 *      top-up cycle picks them up.
 *   4. A service point's devices sign receipts (the verifier package's own signing); the settlement
 *      export is downloaded as CSV and as a spreadsheet and checked against the page; a double
 *      redemption is withheld.
 *   5. The dashboard is drawn (server-rendered charts).
 *   6. Every console page in English, French, Arabic and Swahili: axe-core finds no serious or
 *      critical issue, and no English sentence is left in the other three.
 *
 * `pnpm --filter @haki/e2e test:console`; screenshots in artifacts/console/.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { importJWK, type JWK } from "jose";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { generateRegistry } from "@haki/demo-data/generate";
import { writeSyntheticRegistryCsv } from "@haki/demo-data/csv";
import { generateKeyPair } from "@haki/credentials/keys";
import { parseSetupCode } from "@haki/redemption/setup";
import { entitlementKey, newReceiptId, signReceipt } from "@haki/redemption/receipts";
import { verifyStatusListCredential } from "@haki/status-list/credential";
import { getStatus } from "@haki/status-list/bitstring";
import { LOCALES, resources } from "@haki/i18n";
import { launchChromium } from "./kit/browser";
import { createDb } from "@haki/db";
import { ROOT, signIn, startDemoApps, URLS } from "./kit/apps";
import { approveCycle } from "./kit/cycle";
import { assertAccessible } from "./kit/accessibility";
import { renderPdfPage, scanCardsOnPage } from "./kit/paper-card";
import { assert, createStoryRunner } from "./kit/steps";

const ARTIFACTS = join(ROOT, "artifacts", "console");
const ISSUER = URLS.issuer;
const ISSUER_DID = `did:web:${new URL(ISSUER).host.replace(":", "%3A")}`;
const DEMO_POINT = "sp-demo-nairobi";
const story = createStoryRunner(ARTIFACTS);
const log = (line: string) => console.log(`    ${line}`);
const today = () => new Date().toISOString().slice(0, 10);

/** Demo registry households (the same generator and seed `npm start`'s demo data uses). */
function demoHouseholds() {
  const out = { accented: [] as { id: string; name: string }[], cash: [] as { id: string; name: string }[] };
  for (const h of generateRegistry({ households: 2000, seed: 7 })) {
    const name = `${h.members[0]!.given_name} ${h.members[0]!.surname}`;
    if (/[À-ž]/.test(name) && out.accented.length < 1) out.accented.push({ id: h.group_identifier, name });
    // The demo cash cycle: Nairobi (KE-047), poverty score at most 60.
    if (h.address.admin_area_code === "KE-047" && h.poverty_score <= 60 && out.cash.length < 1) out.cash.push({ id: h.group_identifier, name });
  }
  return out;
}

/** The file a download link gives, through the page's session. */
async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent("download"), click()]);
  return readFileSync((await d.path())!);
}

/** The status index a paper card's credential points at (its QR read back from the rendered PDF). */
function cardStatusIndex(pdf: Buffer): { list: string; index: number; jwt: string } {
  // Either JWT format: a VC 2.0 card (a new cycle's) keeps its status at the top, not under `vc`.
  const [card] = scanCardsOnPage(renderPdfPage(pdf), { issuers: [ISSUER_DID] });
  assert(card, "the card's QR code reads back as a credential");
  return { ...card.revocation, jwt: card.jwt };
}

/** Whether a position is set in the issuer's published revocation list, checked with the issuer's key from its did:web document. */
async function revoked(listUrl: string, index: number): Promise<boolean> {
  // Once more on a network error: a kept-alive socket the server closed after its idle timeout.
  const get = (url: string) => fetch(url).catch(() => fetch(url));
  const did = (await (await get(`${ISSUER}/.well-known/did.json`)).json()) as { verificationMethod: { publicKeyJwk: JWK }[] };
  const jwt = await (await get(listUrl.replace(/^https?:\/\/[^/]+/, ISSUER))).text();
  for (const m of did.verificationMethod) {
    try {
      const verified = await verifyStatusListCredential(jwt, (await importJWK(m.publicKeyJwk, "EdDSA")) as CryptoKey, { issuer: ISSUER_DID, url: listUrl, purpose: "revocation", now: new Date() });
      return getStatus(verified.list, index);
    } catch {
      // another key of the issuer
    }
  }
  throw new Error("the status list does not verify with any of the issuer's keys");
}

/** Every string of the English console catalog long enough to be a sentence, with the translation of the same key in `locale`. */
function englishSentences(locale: string): string[] {
  const en = resources.en.issuer as Record<string, unknown>;
  const other = resources[locale as "fr"].issuer as Record<string, unknown>;
  const out: string[] = [];
  const walk = (a: Record<string, unknown>, b: Record<string, unknown> | undefined) => {
    for (const [k, v] of Object.entries(a)) {
      if (typeof v === "string") {
        const plain = v.replace(/\{\{[^}]+\}\}/g, "").trim();
        if (plain.split(" ").length >= 3 && plain.length >= 16 && !/\{\{/.test(v) && b?.[k] !== v) out.push(v);
      } else if (v && typeof v === "object") walk(v as Record<string, unknown>, b?.[k] as Record<string, unknown> | undefined);
    }
  };
  walk(en, other);
  return out;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "haki-console-"));
  const dataDir = join(work, "data");
  const { apps, password } = await startDemoApps(dataDir, ARTIFACTS, "console");
  const households = demoHouseholds();
  let browser: Browser | undefined;
  let officer: Page | undefined;
  let approverContext: BrowserContext | undefined;
  let approver: Page | undefined;
  let personRef = "";
  let cycleUrl = "";
  let topUpUrl = "";
  try {
    browser = await launchChromium();
    const officeContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    officer = await officeContext.newPage();
    const o = officer;
    await signIn(o, "officer@haki.local", password);

    story.chapter("1. find a person, replace a lost phone");
    await story.step("the officer finds a person by name typed without accents, by registry id and by reference", { page: () => o, shot: "01-profile" }, async () => {
      const accented = households.accented[0]!;
      const folded = accented.name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
      await o.goto(`${ISSUER}/beneficiaries`);
      await o.selectOption("select[name=by]", "name");
      await o.fill("input[name=q]", folded);
      await o.click("form[role=search] button[type=submit]");
      await o.getByTestId("people").getByRole("cell", { name: accented.name, exact: true }).first().waitFor();
      log(`"${folded}" found ${accented.name}`);
      const cash = households.cash[0]!;
      await o.goto(`${ISSUER}/beneficiaries?by=registryId&q=${encodeURIComponent(cash.id)}`);
      const rows = o.getByTestId("people").locator("tbody tr");
      assert((await rows.count()) === 1, "the registry id matches one person");
      assert(((await rows.first().locator("td").nth(1).textContent()) ?? "") === cash.name, "the registry id finds that household's head");
      personRef = ((await rows.first().locator("td.mono").textContent()) ?? "").trim();
      await o.goto(`${ISSUER}/beneficiaries?by=ref&q=${personRef.slice(0, 7).toLowerCase()}`);
      await o.getByTestId("people").getByRole("link", { name: personRef }).click();
      await o.waitForURL(`${ISSUER}/beneficiaries/${personRef}`);
      await o.getByRole("heading", { name: cash.name }).waitFor();
      assert(!(await o.content()).includes(cash.id), "the registry id is not shown (not stored)");
    });

    await story.step("and replaces their lost phone: the old card is revoked in the published list, a new offer and PIN show; the phone stays the valid form (paper refused) until the officer confirms paper instead, whose card carries a new position", { page: () => o }, async () => {
      const entitlement = o.getByTestId("entitlement").filter({ hasText: "Cash transfer (demo)" });
      const printHref = (await entitlement.getByRole("link", { name: "Print the card again" }).getAttribute("href")) ?? "";
      const before = cardStatusIndex(await (await o.request.get(`${ISSUER}${printHref}`)).body());
      assert(!(await revoked(before.list, before.index)), "the card is valid before");
      await entitlement.getByRole("button", { name: "Lost or replaced phone" }).click();
      const dialog = o.locator("dialog[open]");
      await dialog.locator("textarea[name=reason]").fill("Phone stolen at the market (console test)");
      await dialog.getByRole("button", { name: "Cancel the old card and make a new offer" }).click();
      const offer = o.getByTestId("new-offer");
      await offer.waitFor({ timeout: 20_000 });
      assert(/^\d{6}$/.test(((await offer.locator("strong.mono").textContent()) ?? "").trim()), "a 6-digit PIN is shown once");
      assert((await offer.locator("svg").count()) === 1, "the new offer's QR code is shown");
      await story.shot(o, "02-phone-replaced");
      assert(await revoked(before.list, before.index), "the old position is revoked in the published revocation list");
      // Issue 12, one bearer form: the phone stays the form, so paper is refused with a code...
      const refused = await o.request.get(`${ISSUER}${printHref}`);
      assert(refused.status() === 409 && ((await refused.json()) as { error?: { code?: string } }).error?.code === "ERR_PHONE_FORM_ACTIVE", "no paper while a phone holds it");
      await o.reload();
      await entitlement.getByText(/Offered to a phone, until/).waitFor();
      await entitlement.getByText(/· replaced /).waitFor();
      await o.getByRole("cell", { name: "Card or phone replaced" }).first().waitFor();
      await entitlement.getByText("Valid form: phone (waiting for the phone to collect it)").waitFor();
      assert((await entitlement.getByRole("link", { name: "Print the card again" }).count()) === 0, "no print link while the phone is the form");
      // ...until the officer confirms paper instead of the phone; the card printed then carries a new position.
      await entitlement.getByRole("button", { name: "Paper instead of the phone" }).click();
      const confirm = o.locator("dialog[open]");
      await confirm.locator("textarea[name=reason]").fill("No phone for now (console test)");
      await confirm.getByRole("button", { name: "Cancel the phone's card" }).click();
      await o.getByTestId("paper-instead-done").waitFor({ timeout: 20_000 });
      // The confirmation and its print link stay: the page is not refreshed away from them.
      await o.waitForLoadState("networkidle");
      await o.waitForTimeout(1_000);
      assert(await o.getByTestId("paper-instead-done").isVisible(), "the paper-instead confirmation stays in view");
      const after = cardStatusIndex(await (await o.request.get(`${ISSUER}${printHref}`)).body());
      assert(after.index !== before.index || after.list !== before.list, "the card printed again carries a new status position");
      assert(!(await revoked(after.list, after.index)), "and that one is valid");
      await o.reload();
      await entitlement.getByText("Valid form: paper card").waitFor();
    });

    story.chapter("2. a grievance");
    await story.step("a grievance: the empty field is named, then it is recorded, found by its category and resolved with a note", { page: () => o, shot: "03-grievance-resolved" }, async () => {
      await o.goto(`${ISSUER}/beneficiaries/${personRef}`);
      const form = o.getByTestId("grievance-form");
      await form.locator("select[name=category]").selectOption("service-point");
      await form.getByRole("button", { name: "Record" }).click();
      await form.locator(".field-error").first().waitFor();
      assert((await form.locator("select[name=category]").inputValue()) === "service-point", "the choices are kept");
      assert((await form.locator("textarea[name=text]").getAttribute("aria-invalid")) === "true", "the error is next to the text field");
      await form.locator("textarea[name=text]").fill("The stall asked for 200 shillings before handing over (console test)");
      await form.getByRole("button", { name: "Record" }).click();
      await o.getByTestId("grievance").filter({ hasText: "200 shillings" }).waitFor();
      await o.goto(`${ISSUER}/grievances?category=service-point&status=open`);
      const row = o.getByTestId("grievances").locator("tbody tr").filter({ hasText: personRef });
      await row.waitFor();
      await row.locator("textarea[name=resolution]").fill("Agent warned; the 200 shillings were paid back on 3 March");
      await row.getByRole("button", { name: "Mark resolved" }).click();
      // "Resolved." shows in the row, or the row leaves this list of open ones as the page refreshes.
      await Promise.race([row.getByText("Resolved.").waitFor(), row.waitFor({ state: "detached" })]);
      await o.goto(`${ISSUER}/grievances?status=resolved`);
      const resolved = o.getByTestId("grievances").locator("tbody tr").filter({ hasText: personRef });
      await resolved.getByText("Agent warned").waitFor();
      await resolved.getByText("Officer").first().waitFor();
    });

    story.chapter("3. approval returned, then approved; the frozen list is what gets issued");
    let frozenCount = 0;
    await story.step("the officer prepares a programme and a cycle (fields of its benefit type, areas from the registry, a preview with a sample and the total cost) and submits it", { page: () => o }, async () => {
      await o.goto(`${ISSUER}/programmes`);
      const form = o.getByTestId("programme-form");
      await form.locator("select[name=benefitType]").selectOption("inkind");
      assert((await form.locator("input[name=currency]").count()) === 0, "no currency for an in-kind programme");
      await form.locator("select[name=benefitType]").selectOption("cash");
      assert((await form.locator("input[name=item]").count()) === 0, "no item for a cash programme");
      await form.locator("input[name=code]").fill("Bad Code!");
      await form.locator("input[name=name]").fill("Console test cash");
      await form.locator("input[name=currency]").fill("KES");
      await form.getByRole("button", { name: "Create programme" }).click();
      await form.locator("input[name=code][aria-invalid=true]").waitFor();
      assert((await form.locator("input[name=name]").inputValue()) === "Console test cash", "what was typed is kept");
      await form.locator("input[name=code]").fill("console-cash");
      await form.locator("select[name=area]").selectOption("KE-047");
      await form.getByRole("button", { name: "Create programme" }).click();
      await o.waitForURL(/\/programmes\/[0-9a-f-]{36}$/);
      const cycle = o.getByTestId("cycle-form");
      await cycle.locator("input[name=code]").fill("2027-console");
      await cycle.locator("input[name=validFrom]").fill(today());
      await cycle.locator("input[name=validUntil]").fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
      await cycle.locator("input[name=amount]").fill("1500");
      await cycle.locator("select[name=field0]").selectOption("householdSize");
      await cycle.locator("select[name=op0]").selectOption("gte");
      await cycle.locator("input[name=value0]").fill("1");
      await cycle.getByRole("button", { name: "Preview" }).click();
      const preview = cycle.getByTestId("preview");
      await preview.waitFor();
      frozenCount = Number(await preview.getAttribute("data-count"));
      assert(frozenCount > 10, `people qualify (${frozenCount})`);
      await preview.getByText(/total cost KES/).waitFor();
      assert((await preview.locator("tbody tr").count()) === 10, "a sample of ten is listed");
      await story.shot(o, "04-cycle-preview");
      await cycle.getByRole("button", { name: "Prepare cycle" }).click();
      await o.waitForURL(/\/cycles\/[0-9a-f-]{36}$/);
      cycleUrl = o.url();
      await o.getByRole("button", { name: "Submit for approval" }).click();
      await o.getByTestId("frozen").waitFor();
      assert(Number(await o.getByTestId("frozen").getAttribute("data-count")) === frozenCount, "the frozen list is the previewed one");
      assert((await o.getByTestId("approve").count()) === 0, "the officer cannot approve");
    });

    await story.step("an approver finds it in the inbox, downloads the list, and returns it with a comment (the empty comment is refused next to the field)", { page: () => approver ?? o, shot: "05-returned" }, async () => {
      approverContext = await browser!.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      approver = await approverContext.newPage();
      const a = approver;
      await signIn(a, "approver@haki.local", password);
      await a.getByRole("link", { name: /Approvals/ }).click();
      await a.getByTestId("inbox").getByRole("link", { name: "Console test cash · 2027-console" }).click();
      const frozen = a.getByTestId("frozen");
      await frozen.waitFor();
      const csv = parse((await download(a, () => frozen.getByTestId("frozen-download").click())).toString("utf8"), { columns: true, bom: true }) as Record<string, string>[];
      assert(csv.length === frozenCount, `the list downloaded has everyone on it (${csv.length})`);
      const digest = createHash("sha256").update(csv.map((r) => `${r.Reference}\n`).join("")).digest("hex");
      assert(((await frozen.locator("code").getAttribute("title")) ?? "") === digest, "the list's digest is recomputed from the file");
      const ret = a.getByTestId("return-form");
      await ret.getByRole("button", { name: "Return to the officer" }).click();
      await ret.locator("textarea[name=comment][aria-invalid=true]").waitFor();
      await ret.locator("textarea[name=comment]").fill("Limit it to households of at least 3 people, as agreed on Monday");
      await ret.getByRole("button", { name: "Return to the officer" }).click();
      await a.getByText("State: Draft").waitFor();
    });

    await story.step("the officer reads the comment and submits again; the approver ticks that the list was checked, confirms, and the cycle is approved", { page: () => approver ?? o, shot: "06-approved" }, async () => {
      await o.goto(cycleUrl);
      await o.getByTestId("returned").getByText("at least 3 people").waitFor();
      await o.getByRole("button", { name: "Submit for approval" }).click();
      await o.getByTestId("frozen").waitFor();
      await approveCycle(approver!, cycleUrl);
    });

    await story.step("households imported after the approval are not issued: issuance gives exactly the frozen list, and a top-up cycle finds the newcomers", { page: () => o, shot: "07-top-up" }, async () => {
      // The insider's move: three invented households in the programme's area, after approval.
      const csv = join(work, "invented.csv");
      await writeSyntheticRegistryCsv({ households: 9003, start: 9000, seed: 99, mix: { KE: 1 } }, createWriteStream(csv), { fullName: true });
      const text = readFileSync(csv, "utf8").replace(/,KE-\d{3},/g, ",KE-047,");
      writeFileSync(csv, text);
      await o.goto(`${ISSUER}/imports`);
      const source = o.locator("section.card").filter({ has: o.locator('input[name=name][value="Demo social registry (synthetic)"]') });
      await source.locator("input[type=file]").setInputFiles(csv);
      await source.getByRole("button", { name: "Start import" }).click();
      await source.getByText(/Completed: Rows 3, Rejected 0/).waitFor({ timeout: 60_000 });
      await o.goto(cycleUrl);
      await o.getByRole("button", { name: "Issue credentials" }).click();
      await o.getByText(/^Finished: ([\d,]+) \/ \1/).waitFor({ timeout: 180_000 });
      await o.reload();
      await o.getByText("State: Issued").waitFor();
      const issued = Number(((await o.getByTestId("matching").textContent()) ?? "").replace(/[^\d]/g, ""));
      assert(issued === frozenCount, `issued exactly the approved list: ${issued} of ${frozenCount}`);
      const topUp = o.locator("form").filter({ hasText: "Prepare a top-up cycle" });
      await topUp.locator("input[name=code]").fill("2027-console-topup");
      await topUp.getByRole("button", { name: "Prepare a top-up cycle" }).click();
      await o.waitForURL(/\/cycles\/[0-9a-f-]{36}$/);
      topUpUrl = o.url();
      const qualify = ((await o.getByTestId("qualify").textContent()) ?? "").trim();
      assert(/^3 beneficiaries qualify/.test(qualify), `the top-up finds the three newcomers: ${qualify}`);
    });

    story.chapter("4. settlement");
    await story.step("a service point's devices send signed receipts; the settlement shows what to pay and holds a double redemption", { page: () => o, shot: "08-settlement" }, async () => {
      await o.goto(`${ISSUER}/service-points`);
      let shown = "";
      const enrol = async (label: string) => {
        await o.getByRole("button", { name: `New set-up code: ${DEMO_POINT}` }).click();
        // A set-up code works once: wait for the new one, not the one shown before.
        const code = o.locator("code").filter({ hasText: "HAKI-SETUP:" }).last();
        await o.waitForFunction((before) => [...document.querySelectorAll("code")].some((c) => c.textContent?.startsWith("HAKI-SETUP:") && c.textContent !== before), shown, { timeout: 10_000 });
        const setup = (await code.textContent()) ?? "";
        shown = setup;
        const key = await generateKeyPair({ extractable: false });
        const res = await fetch(`${ISSUER}/api/verifier/enrol`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ code: parseSetupCode(setup).code, servicePoint: DEMO_POINT, deviceKey: key.publicJwk, deviceLabel: label }),
        });
        assert(res.ok, `enrolment: HTTP ${res.status}`);
        return { id: ((await res.json()) as { deviceId: string }).deviceId, key };
      };
      const [d1, d2] = [await enrol("Counter 1"), await enrol("Counter 2")];
      // Five people of the demo cash cycle, from the cycle's own export.
      await o.goto(`${ISSUER}/programmes`);
      await o.getByRole("link", { name: "Cash transfer (demo)" }).click();
      await o.getByRole("link", { name: "demo-1" }).click();
      const exported = parse((await download(o, () => o.getByRole("link", { name: "Download (CSV)" }).click())).toString("utf8"), { columns: true, bom: true }) as Record<string, string>[];
      const refs = exported.filter((r) => r.State === "Active").slice(0, 5).map((r) => r.Reference!);
      assert(refs.length === 5, "five active entitlements");
      // A verifier's receipt names the credential it checked (urn:uuid:<entitlement id>): the
      // issuer links it to that entitlement only when programme, cycle and person agree.
      const db = createDb(`file:${join(dataDir, "haki.db")}`);
      const credentialOf = new Map<string, string>();
      try {
        for (const ref of refs) {
          const e = await db.entitlement.findFirstOrThrow({ where: { beneficiary: { ref }, cycle: { code: "demo-1" } }, select: { id: true } });
          credentialOf.set(ref, `urn:uuid:${e.id}`);
        }
      } finally {
        await db.$disconnect();
      }
      const receipt = async (device: typeof d1, beneficiary: string) => {
        const parts = { issuer: ISSUER_DID, programme: "demo-cash", cycle: "demo-1", beneficiary };
        const r = {
          v: 1 as const,
          id: newReceiptId(),
          ...parts,
          credential: credentialOf.get(beneficiary)!,
          entitlement: entitlementKey(parts),
          servicePoint: DEMO_POINT,
          device: device.id,
          redemption: "single" as const,
          handedOver: { type: "Cash" as const, amount: 2500, currency: "KES" },
          remaining: 0,
          visualCheck: false,
          at: Math.floor(Date.now() / 1000),
        };
        return { id: r.id, jws: await signReceipt(r, { privateKey: device.key.privateKey, deviceId: device.id }) };
      };
      const batch = [...(await Promise.all(refs.map((ref) => receipt(d1, ref)))), await receipt(d2, refs[0]!)];
      const sent = await fetch(`${ISSUER}/api/verifier/receipts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ receipts: batch }) });
      const result = (await sent.json()) as { accepted: string[] };
      assert(result.accepted.length === 6, `six receipts accepted (${JSON.stringify(result)})`);
      await o.goto(`${ISSUER}/settlement?servicePoint=${DEMO_POINT}&from=${today()}&to=${today()}`);
      const line = o.getByTestId("settlement").locator("tbody tr").filter({ hasText: "demo-1" });
      assert((await line.getAttribute("data-payable")) === "12500", `to pay: ${await line.getAttribute("data-payable")}`);
      await line.getByText(/KES\s?2,500\.00 \(1\)/).waitFor();
    });

    await story.step("the settlement export opens as CSV and as a spreadsheet, with the signed receipts, and matches the page; the double redemption is withheld", { page: () => o }, async () => {
      const csvRows = parse((await download(o, () => o.getByTestId("export-csv").click())).toString("utf8"), { columns: true, bom: true }) as Record<string, string>[];
      assert(csvRows.length === 6, `six receipts in the CSV (${csvRows.length})`);
      const paid = csvRows.filter((r) => r.Paid === "yes").reduce((a, r) => a + Number(r.Amount), 0);
      assert(paid === 12500, `the CSV's paid amounts add up to the page's (${paid})`);
      assert(csvRows.every((r) => (r["Signed receipt (JWS)"] ?? "").split(".").length === 3), "each row carries its signed receipt");
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await download(o, () => o.getByTestId("export-xlsx").click())) as unknown as ExcelJS.Buffer);
      const sheet = book.worksheets[1]!;
      assert(book.worksheets[0]!.name === "Summary", "a summary sheet first");
      assert(sheet.rowCount === 7, `header and six receipts in the spreadsheet (${sheet.rowCount})`);
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const amountCol = header.indexOf("Amount") + 1;
      const paidCol = header.indexOf("Paid") + 1;
      let sheetPaid = 0;
      for (let i = 2; i <= 7; i++) if (sheet.getRow(i).getCell(paidCol).value === "yes") sheetPaid += Number(sheet.getRow(i).getCell(amountCol).value);
      assert(sheetPaid === 12500, `the spreadsheet adds up the same (${sheetPaid})`);
      const summary = book.worksheets[0]!;
      assert(String(summary.getRow(3).getCell(2).value).startsWith("12500 KES"), `the summary says what to pay: ${summary.getRow(3).getCell(2).value}`);
      const resolve = o.getByTestId("resolve-double");
      await resolve.locator("select[name=resolution]").selectOption("withhold");
      await resolve.locator("input[name=note]").fill("The same card at two counters within a minute");
      await resolve.getByRole("button", { name: "Record the decision" }).click();
      // "Decision recorded." shows, or the form leaves the page with the case it decided as the page refreshes.
      await Promise.race([o.getByText("Decision recorded.").waitFor(), resolve.waitFor({ state: "detached" })]);
      await o.reload();
      const line = o.getByTestId("settlement").locator("tbody tr").filter({ hasText: "demo-1" });
      await line.locator("td").nth(4).getByText(/\(1\)/).waitFor();
    });

    story.chapter("5. dashboard");
    await story.step("the dashboard is drawn: charts by time, cycle, value, area and service point, and the work waiting", { page: () => o, shot: "09-dashboard" }, async () => {
      // Slow figures are served from the last computation while the next one runs (the page says
      // as of when): the first view after a change may be the one before it.
      const row = o.getByTestId("chart-by-cycle").getByRole("rowheader", { name: "Console test cash · 2027-console" });
      for (let i = 0; ; i++) {
        await o.goto(`${ISSUER}/`);
        if ((await row.count()) > 0 || i === 20) break;
        await o.waitForTimeout(1_000);
      }
      const charts = o.locator("figure.chart");
      assert((await charts.count()) >= 5, `charts drawn (${await charts.count()})`);
      for (const id of ["over-time", "by-cycle", "value-KES", "by-area", "by-point"]) {
        const svg = o.getByTestId(`chart-${id}`).locator("svg");
        assert((await svg.count()) === 1, `chart ${id} is an SVG`);
        assert((await svg.locator("path").count()) > 3, `chart ${id} has marks`);
      }
      await o.getByTestId("chart-by-cycle").locator("summary").click();
      await row.waitFor();
      assert(((await o.getByTestId("issued-total").textContent()) ?? "") !== "0", "credentials issued are counted");
    });

    story.chapter("6. every page, four languages");
    await story.step("every console page passes axe-core (no serious or critical issue) in en, fr, ar and sw, with no English sentence left in fr, ar and sw", { page: () => o }, async () => {
      // One person with every role sees every form.
      const admin = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      const ad = await admin.newPage();
      await signIn(ad, "admin@haki.local", password);
      await ad.goto(`${ISSUER}/users`);
      const userForm = ad.locator("form").filter({ has: ad.locator("input[name=password]") });
      await userForm.locator("input[name=email]").fill("everyone@haki.local");
      await userForm.locator("input[name=name]").fill("Everyone");
      await userForm.locator("input[name=password]").fill("console-test-password-1");
      for (const role of ["officer", "approver", "auditor", "admin"]) await userForm.locator(`input[name=roles][value=${role}]`).check();
      await userForm.locator("button[type=submit]").click();
      await ad.getByText("everyone@haki.local").waitFor();
      await admin.close();
      const pages = [
        "/",
        "/beneficiaries?by=name&q=a",
        `/beneficiaries/${personRef}`,
        "/programmes",
        cycleUrl.replace(ISSUER, ""),
        topUpUrl.replace(ISSUER, ""),
        "/approvals",
        "/grievances",
        `/redemptions?from=${today()}&to=${today()}`,
        `/settlement?servicePoint=${DEMO_POINT}&from=${today()}&to=${today()}`,
        "/imports",
        "/service-points",
        "/bulk-status",
        "/audit",
        "/users",
      ];
      const failures: string[] = [];
      for (const locale of LOCALES) {
        const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
        const p = await context.newPage();
        await signIn(p, "everyone@haki.local", "console-test-password-1");
        await context.addCookies([{ name: "haki_locale", value: locale, url: ISSUER }]);
        const english = locale === "en" ? [] : englishSentences(locale);
        for (const path of pages) {
          await p.goto(`${ISSUER}${path}`);
          await p.locator("main").waitFor();
          assert((await p.locator("html").getAttribute("lang")) === locale, `${path} is in ${locale}`);
          if (locale === "ar") assert((await p.locator("html").getAttribute("dir")) === "rtl", `${path} is right to left in Arabic`);
          await assertAccessible(p, `${path} (${locale})`).catch((e: Error) => failures.push(e.message));
          const text = await p.locator("body").innerText();
          const left = english.filter((s) => text.includes(s));
          if (left.length) failures.push(`${path} (${locale}) still says in English: ${left.slice(0, 3).map((s) => JSON.stringify(s)).join(", ")}`);
        }
        if (locale === "ar") await story.shot(p, "10-settlement-ar");
        await context.close();
      }
      assert(failures.length === 0, failures.join("\n"));
    });
  } finally {
    await approverContext?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await apps.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const { passed, failed, ok } = story.summary();
  console.log(`console: ${passed} passed, ${failed} failed`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
