"use client";
/**
 * Starts an import from a DCI registry source (POST /api/imports/dci), then shows the same
 * progress line as a file upload.
 */
import { useState } from "react";
import { ImportProgress, pollImport, type Progress } from "./import-progress";

export function DciImportStart(props: { sourceId: string; csrf: string; labels: Record<string, string> }) {
  const { labels } = props;
  const [phase, setPhase] = useState<"idle" | "starting" | "running" | "done">("idle");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function start() {
    setError(null);
    setProgress(null);
    setPhase("starting");
    const res = await fetch("/api/imports/dci", {
      method: "POST",
      body: JSON.stringify({ source: props.sourceId }),
      headers: { "content-type": "application/json", "x-csrf-token": props.csrf },
    });
    const body = (await res.json()) as { runId?: string; error?: { message: string } };
    if (!res.ok || !body.runId) {
      setError(body.error?.message ?? res.statusText);
      setPhase("idle");
      return;
    }
    setRunId(body.runId);
    setPhase("running");
    await pollImport(body.runId, setProgress);
    setPhase("done");
  }

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
