package io.argus.jobs.config;

/**
 * How the frame limit ({@code frames.max-bytes}) sizes Kafka requests, fetches and topics, in one
 * place. A frame record is the image plus a few hundred bytes of Protobuf fields and record
 * overhead; a dead letter is the refused record plus its reason, so the dead-letter topic and the
 * job's producers must carry a little more than the frames topic does. Otherwise one oversized
 * frame makes the dead-letter sink fail, and the job restarts into the same record forever.
 */
public final class MessageSizes {

  /** Room for a frame's Protobuf fields and the record's overhead around the image. */
  public static final int FRAME_ENVELOPE_BYTES = 4 * 1024;
  /** How far the frames topic may carry records beyond frames.max-bytes. */
  public static final int FRAMES_TOPIC_SLACK_BYTES = 32 * 1024;
  /** Producer requests and the dead-letter topic: the largest frame record plus a dead letter's own fields. */
  public static final int REQUEST_HEADROOM_BYTES = 64 * 1024;

  private static final int ONE_MIB = 1 << 20;

  private MessageSizes() {}

  private static int frame(Settings s) {
    return s.getInt(Setting.MAX_FRAME_BYTES);
  }

  /** {@code max.request.size} of every producer that may write a frame or a dead letter. */
  public static int producerMaxRequestBytes(Settings s) {
    return Math.max(ONE_MIB, frame(s) + REQUEST_HEADROOM_BYTES);
  }

  /** {@code max.partition.fetch.bytes} of consumers of frames and dead letters. */
  public static int consumerMaxPartitionFetchBytes(Settings s) {
    return Math.max(ONE_MIB, frame(s) + REQUEST_HEADROOM_BYTES);
  }

  /** {@code fetch.max.bytes}: at least one of the biggest records, and Kafka's default otherwise. */
  public static int consumerFetchMaxBytes(Settings s) {
    return Math.max(50 * ONE_MIB, frame(s) + REQUEST_HEADROOM_BYTES);
  }

  /** The frames topic's {@code max.message.bytes} must be at least this, or frames the job accepts cannot be published. */
  public static int framesTopicMinBytes(Settings s) {
    return frame(s) + FRAME_ENVELOPE_BYTES;
  }

  /** ... and at most this, so the dead letter of any record it carries still fits the producer's request. */
  public static int framesTopicMaxBytes(Settings s) {
    return frame(s) + FRAMES_TOPIC_SLACK_BYTES;
  }

  /** The dead-letter topic's {@code max.message.bytes} must be at least this: a refused frame travels whole. */
  public static int deadLettersTopicMinBytes(Settings s) {
    return frame(s) + REQUEST_HEADROOM_BYTES;
  }
}
