package io.argus.jobs.local;

import org.apache.flink.core.execution.JobClient;

/** Helpers for jobs that run on a Flink started in this JVM (local, evaluate --through-kafka, soak). */
public final class LocalJobs {

  private LocalJobs() {}

  /** Cancels the job and waits until it has let go of the broker, so a shutdown is quiet. */
  public static void stop(JobClient job) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    try {
      job.cancel().get();
      while (!job.getJobStatus().get().isTerminalState() && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
    } catch (java.util.concurrent.ExecutionException | IllegalStateException e) {
      // the local cluster shuts down together with its only job: nothing is left to stop
    }
  }
}
