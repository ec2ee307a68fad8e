/**
 * What the screens read from the device's storage (enrolment, settings, trust bundle, status
 * lists, receipts and their notes), loaded together and reloaded after every change. A damaged store or a full
 * disk ends in `fatal` (a code the app explains).
 */
import { errorCode } from "@haki/pwa/errors";
import type { OperatorSettings } from "@haki/redemption/settings";
import type { OutboxItem } from "@haki/redemption/stores";
import type { StoredTrustBundle } from "@haki/redemption/trust-bundle-model";
import type { StatusListCache } from "@haki/status-list/cache";
import { useCallback, useEffect, useState } from "preact/hooks";
import type { Enrolment, ReceiptNote, VerifierDb } from "../../storage/db";

export interface DeviceData {
  enrolment: Enrolment | undefined;
  settings: OperatorSettings;
  trust: StoredTrustBundle | undefined;
  lists: StatusListCache[];
  outbox: OutboxItem[];
  notes: ReceiptNote[];
}

/**
 * @example
 * const { data, fatal, reload } = useDeviceData(db);
 */
export function useDeviceData(db: VerifierDb): {
  data: DeviceData | undefined;
  fatal: string | undefined;
  reload: () => Promise<DeviceData | undefined>;
} {
  const [data, setData] = useState<DeviceData>();
  const [fatal, setFatal] = useState<string>();
  const reload = useCallback(async () => {
    try {
      const [enrolment, settings, trust, lists, outbox, notes] = await Promise.all([
        db.getEnrolment(),
        db.getSettings(),
        db.getTrust(),
        db.getStatusLists(),
        db.listOutbox(),
        db.listNotes(),
      ]);
      const next = { enrolment, settings, trust, lists, outbox, notes };
      setData(next);
      return next;
    } catch (e) {
      setFatal(errorCode(e));
      return undefined;
    }
  }, [db]);
  useEffect(() => void reload(), [reload]);
  return { data, fatal, reload };
}

/**
 * The time, ticking every `everyMs`, so freshness on the home screen ages while it is open.
 *
 * @example
 * const now = useNow(20_000);
 */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
