"use client";
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";

interface JobState {
  state: string;
  done: number;
  total: number;
  throughput: number | null;
  error: string | null;
}

/**
 * Polls GET /api/jobs/:id while the job runs; shows the bar and the throughput, and refreshes the
 * page when the job ends (the list and counts it shows then include what the job did).
 */
export function JobProgress(props: { jobId: string; initial: JobState; rateLabel: string; stateLabels: Record<string, string>; locale: string }) {
  const [job, setJob] = useState(props.initial);
  const router = useRouter();
  const wasRunning = useRef(props.initial.state === "queued" || props.initial.state === "running");
  const count = new Intl.NumberFormat(props.locale);
  useEffect(() => {
    if ((job.state === "completed" || job.state === "failed") && wasRunning.current) {
      wasRunning.current = false;
      router.refresh();
    }
  }, [job.state, router]);
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
        {props.stateLabels[job.state] ?? job.state}: {count.format(job.done)} / {count.format(job.total)}
        {job.throughput ? ` · ${props.rateLabel.replace("{rate}", count.format(Math.round(job.throughput)))}` : ""}
      </p>
      {job.error ? <p className="error">{job.error}</p> : null}
    </div>
  );
}
