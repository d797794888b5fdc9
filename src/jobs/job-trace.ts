/**
 * A job attempt's span: the root of a trace of its own (nobody waits for it), linked to the span
 * that enqueued the job (its stored `traceparent`), with the kind, the attempt and, once recorded,
 * the outcome. A no-op when tracing is off.
 */
import { currentTraceparent, inRootSpan, linkTo, type Span } from '../shared/tracing.js';
import type { JobRecord, NewJob } from './port.js';

const spans = new WeakMap<JobRecord, Span>();

/** The job as stored: with the enqueuing request's trace context when it is traced. */
export function withTraceContext<T extends Omit<NewJob, 'traceparent'> & { traceparent?: string }>(
  job: T,
): T {
  const traceparent = job.traceparent ?? currentTraceparent();
  return traceparent === undefined ? job : { ...job, traceparent };
}

/** Runs one attempt of `job` inside its span. */
export function inJobSpan(job: JobRecord, run: () => Promise<void>): Promise<void> {
  const attributes = { 'job.kind': job.kind, 'job.id': job.id, 'job.attempt': job.attempt };
  return inRootSpan(`job ${job.kind}`, attributes, linkTo(job.traceparent), (span) => {
    spans.set(job, span);
    return run();
  });
}

/** How the attempt ended (done, retried, dead, lost, unrecorded), on its span. */
export function recordJobOutcome(job: JobRecord, outcome: string): void {
  spans.get(job)?.setAttribute('job.outcome', outcome);
}
