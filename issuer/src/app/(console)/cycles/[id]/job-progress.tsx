"use client";
import { useEffect, useState } from "react";

interface JobState {
  state: string;
  done: number;
  total: number;
  throughput: number | null;
  error: string | null;
}

/** Polls GET /api/jobs/:id while the job runs; shows the bar and the throughput. */
export function JobProgress(props: { jobId: string; initial: JobState; rateLabel: string; stateLabels: Record<string, string> }) {
  const [job, setJob] = useState(props.initial);
  useEffect(() => {
    if (job.state === "completed" || job.state === "failed") return;
    const timer = setInterval(() => {
      void fetch(`/api/jobs/${props.jobId}`)
        .then((r) => (r.ok ? (r.json() as Promise<JobState>) : null))
        .then((j) => j && setJob(j));
    }, 1500);
    return () => clearInterval(timer);
  }, [job.state, props.jobId]);
  return (
    <div aria-live="polite">
      <progress max={job.total || 1} value={job.done} />
      <p>
        {props.stateLabels[job.state] ?? job.state}: {job.done} / {job.total}
        {job.throughput ? ` · ${props.rateLabel.replace("{rate}", job.throughput.toFixed(0))}` : ""}
      </p>
      {job.error ? <p className="error">{job.error}</p> : null}
    </div>
  );
}
