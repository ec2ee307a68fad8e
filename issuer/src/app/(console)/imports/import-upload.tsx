"use client";
/**
 * Streams the chosen file to POST /api/imports (the browser sends it as the raw body, so the server
 * never buffers it), then polls the run for the progress bar. The one console change that is not a
 * server action (app/actions.ts): an action would hold the whole file in memory.
 */
import { useState } from "react";
import { ImportProgress, useImportRun, type RunStart } from "./import-progress";
import { useConsole } from "@/app/(console)/kit";

/** Sends the file with the session's CSRF token; the answer read as a `RunStart`. */
async function uploadFile(url: string, file: File, csrf: string): Promise<RunStart> {
  const res = await fetch(url, { method: "POST", body: file, headers: { "content-type": "text/csv", "x-csrf-token": csrf } });
  const body = (await res.json().catch(() => ({}))) as { runId?: string; error?: { message: string } };
  return res.ok && body.runId ? { ok: true, value: { runId: body.runId } } : { ok: false, message: body.error?.message ?? "" };
}

export function ImportUpload(props: { sourceId: string; labels: Record<string, string> }) {
  const { csrf } = useConsole();
  const { labels } = props;
  const [file, setFile] = useState<File | null>(null);
  const [delimiter, setDelimiter] = useState(",");
  const { phase, progress, runId, error, run } = useImportRun(labels);

  async function start() {
    if (!file) return;
    const url = `/api/imports?source=${encodeURIComponent(props.sourceId)}&name=${encodeURIComponent(file.name)}&delimiter=${encodeURIComponent(delimiter)}`;
    await run(() => uploadFile(url, file, csrf));
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
        <button type="button" disabled={!file || phase === "starting" || phase === "running"} onClick={() => void start()}>
          {labels.start}
        </button>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {phase === "starting" ? <p>{labels.uploading}</p> : null}
      {progress ? <ImportProgress progress={progress} runId={runId} labels={labels} /> : null}
    </div>
  );
}
