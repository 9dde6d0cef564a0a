package io.argus.jobs.video;

/**
 * A video file as a camera sees it.
 *
 * @param codec the stream's fourcc as stored (XVID, MJPG, ...)
 * @param frames frames in the file (its chunks, which may differ from what the header declares)
 * @param fps the stream's frame rate (0 when the header gives none)
 */
public record VideoInfo(String codec, int width, int height, double fps, int frames) {}
