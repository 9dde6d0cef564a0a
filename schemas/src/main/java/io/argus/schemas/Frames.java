package io.argus.schemas;

import com.google.protobuf.InvalidProtocolBufferException;
import io.argus.schemas.proto.Encoding;
import io.argus.schemas.proto.Frame;

/**
 * Parses and checks {@link Frame} messages from the frames topic.
 *
 * <p>Protobuf accepts many byte strings that were never a Frame (empty input is a valid message with
 * every field at its default; random bytes often decode as unknown fields), so a frame is only
 * accepted when every field a tracker needs is present and plausible.
 */
public final class Frames {
  /** Default limit on the encoded image, matching the local broker's default message size. */
  public static final int DEFAULT_MAX_DATA_BYTES = 8 * 1024 * 1024;
  /** Larger than any camera sensor: a bigger width or height is a corrupt message. */
  public static final int MAX_SIDE = 1 << 15;
  public static final int MAX_CAMERA_ID_LENGTH = 256;

  private Frames() {}

  /** {@link #parse(byte[], int)} with {@link #DEFAULT_MAX_DATA_BYTES}. */
  public static Frame parse(byte[] bytes) throws WireFormatException {
    return parse(bytes, DEFAULT_MAX_DATA_BYTES);
  }

  /**
   * The frame in {@code bytes}, validated.
   *
   * @param maxDataBytes the largest encoded image accepted
   * @throws WireFormatException UNREADABLE_FRAME (not a frame, or a required field missing),
   *     UNSUPPORTED_ENCODING, FRAME_TOO_LARGE
   */
  public static Frame parse(byte[] bytes, int maxDataBytes) throws WireFormatException {
    if (bytes == null || bytes.length == 0) {
      throw new WireFormatException(DeadLetterReason.UNREADABLE_FRAME,
          "empty message: expected a protobuf argus.v1.Frame");
    }
    // the image dominates the message: refuse oversize input before protobuf copies it
    if (bytes.length > (long) maxDataBytes + 1024 + MAX_CAMERA_ID_LENGTH) {
      throw tooLarge(bytes.length, maxDataBytes);
    }
    Frame frame;
    try {
      frame = Frame.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new WireFormatException(DeadLetterReason.UNREADABLE_FRAME,
          "not a protobuf argus.v1.Frame (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
    validate(frame, maxDataBytes);
    return frame;
  }

  /** Checks a frame built in memory (or parsed elsewhere) the way {@link #parse} does. */
  public static void validate(Frame frame, int maxDataBytes) throws WireFormatException {
    String cameraId = frame.getCameraId();
    if (cameraId.isEmpty()) {
      throw unreadable(frame, "camera_id is empty; every frame must name its camera");
    }
    if (cameraId.length() > MAX_CAMERA_ID_LENGTH || cameraId.chars().anyMatch(Character::isISOControl)) {
      throw unreadable(frame, "camera_id is not a plausible id (over " + MAX_CAMERA_ID_LENGTH
          + " characters or control characters): " + abbreviate(cameraId));
    }
    if (frame.getSequence() < 0) {
      throw unreadable(frame, "sequence is negative: " + frame.getSequence());
    }
    if (frame.getCaptureTimeMs() < 0) {
      throw unreadable(frame, "capture_time_ms is negative: " + frame.getCaptureTimeMs());
    }
    if (frame.getWidth() <= 0 || frame.getHeight() <= 0
        || frame.getWidth() > MAX_SIDE || frame.getHeight() > MAX_SIDE) {
      throw unreadable(frame, "width x height " + frame.getWidth() + "x" + frame.getHeight()
          + " is not a picture size (each must be 1.." + MAX_SIDE + ")");
    }
    if (frame.getData().isEmpty()) {
      throw unreadable(frame, "data is empty; it must hold the encoded image");
    }
    if (frame.getData().size() > maxDataBytes) {
      throw tooLarge(frame.getData().size(), maxDataBytes);
    }
    // last: only an otherwise complete frame is reported as an encoding problem
    Encoding encoding = frame.getEncoding();
    if (encoding != Encoding.JPEG && encoding != Encoding.PNG) {
      throw new WireFormatException(DeadLetterReason.UNSUPPORTED_ENCODING, describe(frame)
          + " has encoding " + (encoding == Encoding.UNRECOGNIZED ? "number " + frame.getEncodingValue()
          : encoding.name()) + "; supported: JPEG, PNG");
    }
  }

  private static WireFormatException tooLarge(long size, int maxDataBytes) {
    return new WireFormatException(DeadLetterReason.FRAME_TOO_LARGE, size
        + " bytes exceeds the limit of " + maxDataBytes
        + " bytes for an encoded frame; lower the camera's resolution or JPEG quality, or raise the limit");
  }

  private static WireFormatException unreadable(Frame frame, String problem) {
    return new WireFormatException(DeadLetterReason.UNREADABLE_FRAME, describe(frame) + ": " + problem);
  }

  private static String describe(Frame frame) {
    return "frame " + frame.getSequence() + " of camera '" + abbreviate(frame.getCameraId()) + "'";
  }

  private static String abbreviate(String s) {
    String printable = s.codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
  }
}
