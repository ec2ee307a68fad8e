"use client";
/**
 * What file uploads and DCI registry imports share: starting a run, polling GET /api/imports/:id
 * once a second until it is no longer running, and the progress and error-report line.
 */
import { useState } from "react";
import { useRouter } from "next/navigation";

export interface Progress {
  status: string;
  bytesTotal: number;
  bytesRead: number;
  rowsRead: number;
  rejected: number;
  error?: string | null;
}

/** Polls a run until it finishes, reporting each reading. */
export async function pollImport(runId: string, onProgress: (p: Progress) => void): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const p = (await (await fetch(`/api/imports/${runId}`)).json()) as Progress;
    onProgress(p);
    if (p.status !== "running") return;
  }
}

/** How starting a run went: a server action's result, or the upload's answer read the same way. */
export type RunStart = { ok: true; value: { runId: string } } | { ok: false; message: string };

/**
 * Starts an import run with `start` and follows it. A refusal shows the server's plain-words
 * message; a network failure shows `labels.requestFailed` instead of leaving the button stuck.
 */
export function useImportRun(labels: Record<string, string>) {
  const [phase, setPhase] = useState<"idle" | "starting" | "running" | "done">("idle");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();

  async function run(start: () => Promise<RunStart>) {
    setError(null);
    setProgress(null);
    setPhase("starting");
    try {
      const started = await start();
      if (!started.ok) {
        setError(started.message || (labels.requestFailed ?? ""));
        setPhase("idle");
        return;
      }
      const { runId } = started.value;
      setRunId(runId);
      setPhase("running");
      await pollImport(runId, setProgress);
      setPhase("done");
      // The page's list of recent imports shows the finished run.
      router.refresh();
    } catch {
      setError(labels.requestFailed ?? "");
      setPhase("idle");
    }
  }

  return { phase, progress, runId, error, run };
}

export function ImportProgress(props: { progress: Progress; runId: string | null; labels: Record<string, string> }) {
  const { progress, runId, labels } = props;
  // An API source has no byte total: its bar is indeterminate while it runs.
  const bar =
    progress.bytesTotal > 0 ? (
      <progress max={progress.bytesTotal} value={progress.status === "running" ? progress.bytesRead : progress.bytesTotal} />
    ) : progress.status === "running" ? (
      <progress />
    ) : (
      <progress max={1} value={1} />
    );
  return (
    <div aria-live="polite">
      {bar}
      <p>
        {labels[progress.status] ?? progress.status}: {labels.rows} {progress.rowsRead}, {labels.rejected} {progress.rejected}
        {progress.rejected > 0 && runId ? (
          <>
            {" "}
            <a href={`/api/imports/${runId}/errors`}>{labels.errorReport}</a>
          </>
        ) : null}
      </p>
      {progress.error ? <p className="error">{progress.error}</p> : null}
    </div>
  );
}
