package io.argus.models.image;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * JPEG decoding with TensorFlow's {@code DecodeJpeg} (libjpeg-turbo): about twice as fast as
 * ImageIO on 720p frames (BENCHMARKS.md, "Decode and crops") and, with the accurate integer IDCT
 * that ImageIO and OpenCV also use, the same pixels. TensorFlow's default, the fast IDCT, differs
 * by up to 5 grey levels, which is why the method is set. A grey JPEG comes back with its luma in
 * all three channels, as OpenCV's {@code IMREAD_COLOR} gives it.
 *
 * <p>One small graph and session for the JVM, made on first use and never closed: a session is
 * safe to run from several threads, and the job decodes on every slot.
 */
final class JpegDecoder {

  private static final class Holder {
    static final JpegDecoder INSTANCE = new JpegDecoder();
  }

  private final Session session;
  private final Placeholder<TString> bytes;
  private final DecodeJpeg pixels;

  private JpegDecoder() {
    Graph graph = new Graph();
    Ops tf = Ops.create(graph);
    bytes = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    pixels = tf.image.decodeJpeg(bytes, DecodeJpeg.channels(3L), DecodeJpeg.dctMethod("INTEGER_ACCURATE"));
    session = new Session(graph);
  }

  static boolean isJpeg(byte[] encoded) {
    return encoded.length > 2 && (encoded[0] & 0xFF) == 0xFF && (encoded[1] & 0xFF) == 0xD8;
  }

  static RgbImage decode(byte[] jpeg) {
    return Holder.INSTANCE.run(jpeg);
  }

  private RgbImage run(byte[] jpeg) {
    try (TString in = TString.tensorOfBytes(NdArrays.scalarOfObject(jpeg));
        Result result = session.runner().feed(bytes, in).fetch(pixels).run()) {
      TUint8 image = (TUint8) result.get(0);
      Shape shape = image.shape();
      byte[] rgb = new byte[(int) shape.size()];
      image.asRawTensor().data().read(rgb);
      return new RgbImage((int) shape.get(1), (int) shape.get(0), rgb);
    } catch (TFInvalidArgumentException | TensorFlowException e) {
      // corrupt bytes come as TFInvalidArgumentException, an IllegalArgumentException and not a TensorFlowException
      throw new UnreadableImageException("JPEG bytes could not be decoded: " + e.getMessage());
    }
  }
}
