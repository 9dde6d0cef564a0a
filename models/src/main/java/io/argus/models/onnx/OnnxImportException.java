package io.argus.models.onnx;

/**
 * An ONNX graph the importer cannot rebuild exactly: an operator, attribute, attribute value or
 * data type it does not support, or a graph that contradicts itself. The message names the model,
 * the node, its operator and, where one is at fault, the attribute, so that the person importing
 * knows what to change; the importer never substitutes a different computation.
 */
public class OnnxImportException extends IllegalArgumentException {

  public OnnxImportException(String message) {
    super(message);
  }

  public OnnxImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
