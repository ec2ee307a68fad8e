/**
 * The device's link to the issuer while enrolled: receipts sent as soon as the network is back and
 * on the queue's backoff schedule, trust bundle and status lists refreshed on return, every 15
 * minutes, and when a list's refresh hint (`ttl`) has passed. Nothing here blocks a check: checks
 * use what is stored.
 */
import type { SyncQueue } from "@haki/redemption/sync-queue";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { VerifierDb } from "../../storage/db";
import { browserFetch as fetchFn } from "../../verifier/http";

const REFRESH_EVERY_MS = 15 * 60_000;
const SYNC_EVERY_MS = 20_000;

export interface SyncState {
  online: boolean;
  refreshing: boolean;
  /** The last refresh could not update the trust bundle or a list. */
  refreshFailed: boolean;
  sending: boolean;
  refresh: () => Promise<void>;
  flush: () => Promise<void>;
}

/**
 * @example
 * const sync = useSync(db, data?.enrolment?.issuer, reload);
 * <button onClick={() => void sync.flush()}>Send now</button>
 */
export function useSync(db: VerifierDb, issuer: string | undefined, reload: () => Promise<unknown>): SyncState {
  const [online, setOnline] = useState(navigator.onLine);
  const [refreshing, setRefreshing] = useState(false);
  const [refreshFailed, setRefreshFailed] = useState(false);
  const [sending, setSending] = useState(false);
  const queueRef = useRef<SyncQueue | undefined>(undefined);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastRefresh = useRef(0);

  const flush = useCallback(async (): Promise<void> => {
    const queue = queueRef.current;
    if (!queue || !navigator.onLine) return;
    setSending(true);
    try {
      await queue.flush();
    } finally {
      setSending(false);
      await reload();
    }
    // Retry on the backoff schedule rather than waiting for the next timer tick.
    const due = await queue.nextDue();
    clearTimeout(retryTimer.current);
    if (due !== undefined) retryTimer.current = setTimeout(() => void flush(), Math.max(1_000, due - Date.now()));
  }, [reload]);

  const refresh = useCallback(async () => {
    if (!navigator.onLine) {
      setRefreshFailed(true);
      return;
    }
    setRefreshing(true);
    lastRefresh.current = Date.now();
    try {
      const { refreshAll } = await import("../../verifier/refresh");
      const r = await refreshAll({ db, fetch: fetchFn, now: Date.now });
      setRefreshFailed(r.trust === "failed" || r.lists.some((l) => !l.ok));
    } finally {
      // "Update now" comes back once the screens hold what was fetched.
      await reload();
      setRefreshing(false);
    }
  }, [db, reload]);

  useEffect(() => {
    const back = () => setOnline(true);
    const gone = () => setOnline(false);
    window.addEventListener("online", back);
    window.addEventListener("offline", gone);
    return () => {
      window.removeEventListener("online", back);
      window.removeEventListener("offline", gone);
    };
  }, []);

  useEffect(() => {
    if (!issuer) return;
    let alive = true;
    // Loaded after the first screen is up (the sync code is not needed to show it).
    void import("../../verifier/sync").then(({ createReceiptSync }) => {
      if (alive) queueRef.current = createReceiptSync({ db, issuer, fetch: fetchFn, now: Date.now });
    });
    const back = () => void refresh().then(flush);
    window.addEventListener("online", back);
    const syncTimer = setInterval(() => {
      // The lists' ttl says when to fetch again; it never makes a card red.
      if (navigator.onLine)
        void import("../../verifier/refresh")
          .then(({ refreshDue }) => refreshDue(db, lastRefresh.current, Date.now()))
          .then((due) => {
            if (due) void refresh();
          });
      void queueRef.current?.nextDue().then((due) => {
        if (due !== undefined && due <= Date.now()) void flush();
      });
    }, SYNC_EVERY_MS);
    const refreshTimer = setInterval(() => void refresh(), REFRESH_EVERY_MS);
    if (navigator.onLine) back();
    return () => {
      alive = false;
      window.removeEventListener("online", back);
      clearInterval(syncTimer);
      clearInterval(refreshTimer);
      clearTimeout(retryTimer.current);
    };
  }, [db, issuer, refresh, flush]);

  return { online, refreshing, refreshFailed, sending, refresh, flush };
}
