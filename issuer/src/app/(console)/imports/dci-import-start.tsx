"use client";
/**
 * Starts an import from a DCI registry source (POST /api/imports/dci), then shows the same
 * progress line as a file upload.
 */
import { ImportProgress, useImportRun } from "./import-progress";

export function DciImportStart(props: { sourceId: string; csrf: string; labels: Record<string, string> }) {
  const { labels } = props;
  const { phase, progress, runId, error, run } = useImportRun(labels);
  const start = () =>
    run(() =>
      fetch("/api/imports/dci", {
        method: "POST",
        body: JSON.stringify({ source: props.sourceId }),
        headers: { "content-type": "application/json", "x-csrf-token": props.csrf },
      }),
    );

  return (
    <div>
      <button type="button" disabled={phase === "starting" || phase === "running"} onClick={() => void start()}>
        {labels.dciStart}
      </button>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {phase === "starting" ? <p>{labels.dciStarting}</p> : null}
      {progress ? <ImportProgress progress={progress} runId={runId} labels={labels} /> : null}
    </div>
  );
}
