package io.argus.schemas;

import java.util.Objects;

/**
 * Bytes from Kafka that are not a usable message. Checked on purpose: every caller must decide what
 * becomes of the input, normally a {@link DeadLetter} carrying {@link #reason()}, the message and the
 * original bytes.
 */
public final class WireFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final DeadLetterReason reason;

  public WireFormatException(DeadLetterReason reason, String message) {
    this(reason, message, null);
  }

  public WireFormatException(DeadLetterReason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The dead-letter code for this failure. */
  public DeadLetterReason reason() {
    return reason;
  }
}
