/**
 * The check of a scanned code against what the device holds, with the sound and vibration of the
 * answer and the words a red answer needs (./explain). A code that cannot even be read is a red
 * "not readable", never an exception.
 */
import type { CheckContext, Decision } from "@haki/redemption/check";
import { useCallback } from "preact/hooks";
import type { VerifierDb } from "../../storage/db";
import { signalResult } from "../feedback";
import type { DeviceData } from "./use-device-data";

/**
 * @example
 * const check = useCheck(db, data);
 * const decision = await check(scannedText);
 */
export function useCheck(db: VerifierDb, data: DeviceData | undefined): (text: string) => Promise<Decision> {
  return useCallback(
    async (text: string) => {
      const context: CheckContext = {
        now: new Date(),
        trust: data?.trust,
        servicePointId: data?.enrolment?.servicePoint,
        statusLists: data?.lists ?? [],
        settings: data!.settings,
        seen: db,
        balances: db,
        locale: data?.settings.locale ?? "en",
      };
      // The check's code (signatures, status lists, the QR codec) loads with the first scan, not
      // with the app: the first screen comes up sooner on a slow phone. The service worker has it.
      const [{ checkScannedText }, { explainDecision }] = await Promise.all([import("../../verifier/scan-check"), import("../../verifier/explain")]);
      let decision: Decision;
      try {
        decision = await checkScannedText(text, context);
      } catch {
        decision = { outcome: "red", code: "ERR_PROOF_MALFORMED", reasonKey: "reason.ERR_PROOF_MALFORMED", details: {} };
      }
      if (data) signalResult(decision.outcome, data.settings);
      void db.prune(Date.now());
      return explainDecision(decision, text, { db, trust: data?.trust });
    },
    [db, data],
  );
}
