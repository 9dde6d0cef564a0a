package io.argus.jobs.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Annotated track videos, one H.264 MP4 per camera: {@code out.mp4} when a single camera was seen,
 * {@code out-<camera>.mp4} for each when there were several. Which case applies is only known at
 * the end (the tracks topic names its cameras as they come), so every camera writes to its
 * suffixed name and a lone camera's file is renamed on {@link #close()}.
 */
public final class TrackVideos implements AutoCloseable {

  private final Path file;
  private final ToDoubleFunction<String> fps;
  private final Map<String, H264Mp4Writer> writers = new LinkedHashMap<>();
  private List<Path> written = List.of();

  /**
   * @param file the video's path ({@code .mp4} added when missing)
   * @param fps the frame rate of each camera's video, asked once per camera
   */
  public TrackVideos(Path file, ToDoubleFunction<String> fps) {
    String name = file.getFileName().toString();
    this.file = name.toLowerCase(java.util.Locale.ROOT).endsWith(".mp4") ? file : file.resolveSibling(name + ".mp4");
    this.fps = fps;
  }

  /**
   * Appends a frame (already annotated, see {@link TrackRenderer#draw}) to its camera's video.
   * A camera's frames must come in order and share one size.
   */
  public void write(String cameraId, BufferedImage annotated) {
    writers.computeIfAbsent(cameraId, c -> H264Mp4Writer.create(perCamera(c), fps.applyAsDouble(c))).write(annotated);
  }

  /** Frames written so far, over all cameras. */
  public long frames() {
    return writers.values().stream().mapToLong(H264Mp4Writer::frames).sum();
  }

  /** The files written, valid after {@link #close()}. */
  public List<Path> files() {
    return written;
  }

  @Override
  public void close() {
    List<Path> out = new ArrayList<>();
    for (H264Mp4Writer w : writers.values()) {
      w.close();
      out.add(w.file());
    }
    if (out.size() == 1) {
      try {
        Files.move(out.get(0), file, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot rename " + out.get(0) + " to " + file, e);
      }
      out.set(0, file);
    }
    written = List.copyOf(out);
  }

  private Path perCamera(String cameraId) {
    String name = file.getFileName().toString();
    String stem = name.substring(0, name.length() - ".mp4".length());
    return file.resolveSibling(stem + "-" + cameraId.replaceAll("[^A-Za-z0-9._-]", "_") + ".mp4");
  }
}
