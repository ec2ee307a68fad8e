/**
 * The check of a scanned code against what the device holds, with the sound and vibration of the
 * answer and the words a red answer needs (./explain). A code that cannot even be read is a red
 * "not readable", never an exception. What the check holds against (trust bundle, status lists,
 * settings) is read from storage at each check, so a refresh that just landed is used; only a
 * storage failure rejects (the app then reloads its data, which shows the failure).
 */
import type { Decision } from "@haki/redemption/check";
import type { ScanAnswer } from "../../verifier/scan-check";
import { useCallback } from "preact/hooks";
import type { VerifierDb } from "../../storage/db";
import { signalResult } from "../feedback";

/**
 * @example
 * const check = useCheck(db);
 * const answer = await check(scannedText); // { kind: "card", decision } or { kind: "identity", identity }
 */
export function useCheck(db: VerifierDb): (text: string) => Promise<ScanAnswer> {
  return useCallback(
    async (text: string) => {
      // The check's code (signatures, status lists, the QR codec) loads with the first scan, not
      // with the app: the first screen comes up sooner on a slow phone. The service worker has it.
      const [{ checkScan, readCheckContext }, { explainDecision }] = await Promise.all([import("../../verifier/scan-check"), import("../../verifier/explain")]);
      // Read from storage now, not from the data this screen was drawn with: lists a refresh
      // stored a moment ago are the ones this check uses.
      const context = await readCheckContext(db, new Date());
      let answer: ScanAnswer;
      try {
        answer = await checkScan(text, context);
      } catch {
        const decision: Decision = { outcome: "red", code: "ERR_PROOF_MALFORMED", reasonKey: "reason.ERR_PROOF_MALFORMED", details: {} };
        answer = { kind: "card", decision };
      }
      if (answer.kind === "identity") {
        signalResult(answer.identity.valid ? "green" : "red", context.settings);
        return answer;
      }
      signalResult(answer.decision.outcome, context.settings);
      void db.prune(Date.now());
      return { kind: "card", decision: await explainDecision(answer.decision, text, { db, trust: context.trust }) };
    },
    [db],
  );
}
