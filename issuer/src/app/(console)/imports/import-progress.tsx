"use client";
/**
 * The progress and error-report line shared by file uploads and DCI registry imports: polls
 * GET /api/imports/:id once a second until the run is no longer running.
 */

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
