"use client";
/**
 * Starts an import from a DCI registry source (server action), then shows the same progress line
 * as a file upload.
 */
import { startDciImportAction } from "@/app/actions";
import { ImportProgress, useImportRun } from "./import-progress";
import { useConsole } from "@/app/(console)/kit";

export function DciImportStart(props: { sourceId: string; labels: Record<string, string> }) {
  const { csrf } = useConsole();
  const { labels } = props;
  const { phase, progress, runId, error, run } = useImportRun(labels);
  const start = () => run(() => startDciImportAction(csrf, props.sourceId));

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
