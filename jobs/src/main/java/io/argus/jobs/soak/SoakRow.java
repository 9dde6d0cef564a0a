package io.argus.jobs.soak;

/**
 * One reporting interval of a soak run.
 *
 * @param elapsedS seconds since the cameras started
 * @param memory the process's memory at the end of the interval
 * @param updates track updates that became visible (committed) during the interval
 * @param updatesPerS the same per second
 * @param latencyP50Ms median capture → track latency (the tracker's emit time minus the camera's
 *     capture time) of those updates; -1 when there were none
 * @param latencyP95Ms 95th percentile of the same
 * @param meanIou mean IoU of those updates against the generated ground truth; NaN when none
 * @param deadLetters dead letters that became visible during the interval
 */
public record SoakRow(double elapsedS, MemorySample memory, long updates, double updatesPerS, long latencyP50Ms,
    long latencyP95Ms, double meanIou, long deadLetters) {}
