"use client";
/**
 * Streams the chosen file to POST /api/imports (the browser sends it as the raw body, so the server
 * never buffers it), then polls the run for the progress bar.
 */
import { useState } from "react";
import { ImportProgress, pollImport, type Progress } from "./import-progress";

export function ImportUpload(props: { sourceId: string; csrf: string; labels: Record<string, string> }) {
  const { labels } = props;
  const [file, setFile] = useState<File | null>(null);
  const [delimiter, setDelimiter] = useState(",");
  const [phase, setPhase] = useState<"idle" | "uploading" | "running" | "done">("idle");
  const [progress, setProgress] = useState<Progress | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function start() {
    if (!file) return;
    setError(null);
    setPhase("uploading");
    const url = `/api/imports?source=${encodeURIComponent(props.sourceId)}&name=${encodeURIComponent(file.name)}&delimiter=${encodeURIComponent(delimiter)}`;
    const res = await fetch(url, { method: "POST", body: file, headers: { "content-type": "text/csv", "x-csrf-token": props.csrf } });
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
      <div className="row">
        <label>
          {labels.file} <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label>
          {labels.delimiter}{" "}
          <select value={delimiter} onChange={(e) => setDelimiter(e.target.value)}>
            <option value=",">,</option>
            <option value=";">;</option>
            <option value={"\t"}>Tab</option>
          </select>
        </label>
        <button type="button" disabled={!file || phase === "uploading" || phase === "running"} onClick={() => void start()}>
          {labels.start}
        </button>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {phase === "uploading" ? <p>{labels.uploading}</p> : null}
      {progress ? <ImportProgress progress={progress} runId={runId} labels={labels} /> : null}
    </div>
  );
}
