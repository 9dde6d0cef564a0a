package io.argus.models.train;

import io.argus.models.siamfc.BackboneConfig;
import io.argus.models.siamfc.FloatTensors;
import io.argus.models.siamfc.Layer;
import io.argus.models.siamfc.SiamFcNet;
import io.argus.models.siamfc.SiamFcWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The training graph of SiamFC: parameters as variables, batch norm on batch statistics, the
 * balanced logistic loss, and SGD with momentum and weight decay as plain TensorFlow ops
 * ({@code tf.gradients} + {@code ApplyMomentum}). Weights move in and out as
 * {@link SiamFcWeights}, so initialisation, checkpoints and export live in Java.
 *
 * <p>Batch-norm population statistics are not tracked while training (running averages lag far
 * behind early on); {@link #batchStatistics} measures them afterwards for the inference graph.
 */
public final class SiamFcTrainingGraph implements AutoCloseable {

  /** Prefix of the optimiser's momentum slots in a checkpoint. */
  public static final String SLOT = "momentum/";

  private final BackboneConfig config;
  private final Graph graph = new Graph();
  private final Session session;
  private final Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
  private final Map<String, Variable<TFloat32>> slots = new LinkedHashMap<>();
  private final Map<String, Placeholder<TFloat32>> assignInputs = new LinkedHashMap<>();
  private final Map<String, Op> assignOps = new LinkedHashMap<>();
  private final Placeholder<TFloat32> exemplar;
  private final Placeholder<TFloat32> instance;
  private final Placeholder<TFloat32> labels;
  private final Placeholder<TFloat32> weights;
  private final Placeholder<TFloat32> learningRate;
  private final Operand<TFloat32> response;
  private final Operand<TFloat32> loss;
  private final List<Op> updates = new ArrayList<>();
  private final List<SiamFcNet.BatchStats> stats = new ArrayList<>();
  private final int scoreSize;

  public SiamFcTrainingGraph(BackboneConfig config, double momentum, double weightDecay) {
    this.config = config;
    Ops tf = Ops.create(graph);
    SiamFcWeights shapes = SiamFcWeights.initial(config, 0);
    for (Layer l : Layer.of(config)) {
      List<String> names = l.batchNorm() ? List.of(l.weights(), l.gamma(), l.beta()) : List.of(l.weights(), l.bias());
      for (String n : names) {
        Shape shape = Shape.of(shapes.require(n).shape());
        vars.put(n, variable(tf, n, shape));
        slots.put(SLOT + n, variable(tf, SLOT + n, shape));
      }
    }
    scoreSize = SiamFcNet.scoreSize(config);
    int h = SiamFcNet.featureSide(config, SiamFcNet.EXEMPLAR_SIZE);
    int sh = SiamFcNet.featureSide(config, SiamFcNet.INSTANCE_SIZE);
    exemplar = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 127, 127, 3)));
    instance = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 255, 255, 3)));
    labels = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, scoreSize, scoreSize)));
    weights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, scoreSize, scoreSize)));
    learningRate = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

    SiamFcNet.Params params = vars::get;
    Operand<TFloat32> z = SiamFcNet.backbone(tf, exemplar, config, params, SiamFcNet.BatchNorm.TRAINING, stats);
    Operand<TFloat32> x = SiamFcNet.backbone(tf, instance, config, params, SiamFcNet.BatchNorm.TRAINING, stats);
    response = SiamFcNet.crossCorrelation(tf, z, x, h, sh, config.embeddingChannels());
    loss = BalancedLoss.loss(tf, response, labels, weights);

    List<Operand<TFloat32>> varList = new ArrayList<>(vars.values());
    Gradients grads = tf.gradients(loss, varList);
    List<Op> gradOps = new ArrayList<>();
    List<Operand<TFloat32>> gradList = new ArrayList<>();
    for (int i = 0; i < varList.size(); i++) {
      @SuppressWarnings("unchecked")
      Output<TFloat32> dy = (Output<TFloat32>) (Output<?>) grads.dy(i);
      org.tensorflow.op.core.Identity<TFloat32> g = tf.identity(dy);
      gradOps.add(g);
      gradList.add(g);
    }
    // every gradient is computed (so every read of the weights is over) before any update
    Ops after = tf.withControlDependencies(gradOps);
    Operand<TFloat32> mom = tf.constant((float) momentum);
    Operand<TFloat32> decay = tf.constant((float) weightDecay);
    int i = 0;
    for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
      Operand<TFloat32> g = gradList.get(i++);
      // torch.optim.SGD's weight decay: g + wd * w, applied to every parameter
      Operand<TFloat32> decayed = after.math.add(g, after.math.mul(decay, e.getValue()));
      updates.add(after.train.applyMomentum(e.getValue(), slots.get(SLOT + e.getKey()), learningRate, decayed, mom));
    }
    session = new Session(graph);
  }

  private Variable<TFloat32> variable(Ops tf, String name, Shape shape) {
    Variable<TFloat32> v = tf.withName(name.replace('/', '_')).variable(shape, TFloat32.class);
    Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
    assignInputs.put(name, in);
    assignOps.put(name, tf.assign(v, in));
    return v;
  }

  /** Sets the parameters (and momentum slots, zero when {@code w} has none) from {@code w}. */
  public void load(SiamFcWeights w) {
    for (String name : assignOps.keySet()) {
      SiamFcWeights.Tensor t = w.get(name);
      if (t == null && name.startsWith(SLOT)) {
        SiamFcWeights.Tensor param = w.require(name.substring(SLOT.length()));
        t = new SiamFcWeights.Tensor(param.shape(), new float[param.values().length]);
      }
      if (t == null) {
        throw new IllegalArgumentException("weights lack '" + name + "' needed by a " + config.text() + " backbone");
      }
      long[] want = assignInputs.get(name).shape().asArray();
      if (!java.util.Arrays.equals(want, t.shape())) {
        throw new IllegalArgumentException("'" + name + "' has shape " + java.util.Arrays.toString(t.shape())
            + " but a " + config.text() + " backbone needs " + java.util.Arrays.toString(want));
      }
      try (TFloat32 value = FloatTensors.of(t.values(), t.shape())) {
        session.runner().feed(assignInputs.get(name), value).addTarget(assignOps.get(name)).run();
      }
    }
  }

  /** The current parameters, and the momentum slots when {@code withSlots}. */
  public SiamFcWeights read(boolean withSlots) {
    SiamFcWeights w = new SiamFcWeights();
    Map<String, Variable<TFloat32>> all = new LinkedHashMap<>(vars);
    if (withSlots) {
      all.putAll(slots);
    }
    Session.Runner r = session.runner();
    List<String> names = new ArrayList<>(all.keySet());
    names.forEach(n -> r.fetch(all.get(n)));
    try (Result res = r.run()) {
      for (int k = 0; k < names.size(); k++) {
        w.put(names.get(k), new SiamFcWeights.Tensor(FloatTensors.shape(res.get(k)), FloatTensors.read(res.get(k))));
      }
    }
    return w;
  }

  /** One SGD step on the batch; returns the loss before the update. */
  public float step(PairBatches.Batch batch, double lr) {
    try (Feeds f = new Feeds(batch); TFloat32 lrT = TFloat32.scalarOf((float) lr)) {
      Session.Runner r = f.feed(session.runner()).feed(learningRate, lrT).fetch(loss);
      updates.forEach(r::addTarget);
      try (Result res = r.run()) {
        return ((TFloat32) res.get(0)).getFloat();
      }
    }
  }

  /** The loss on a batch without updating anything. */
  public float loss(PairBatches.Batch batch) {
    try (Feeds f = new Feeds(batch); Result res = f.feed(session.runner()).fetch(loss).run()) {
      return ((TFloat32) res.get(0)).getFloat();
    }
  }

  /** The raw response maps (B x S x S) of a batch, training-mode batch norm. */
  public float[] response(PairBatches.Batch batch) {
    try (Feeds f = new Feeds(batch); Result res = f.feed(session.runner()).fetch(response).run()) {
      return FloatTensors.read(res.get(0));
    }
  }

  /**
   * Each batch-norm call's batch mean and variance on this batch, in graph order: per layer
   * name, one {mean, variance} pair per branch (exemplar, then search).
   */
  public Map<String, List<float[][]>> batchStatistics(PairBatches.Batch batch) {
    Map<String, List<float[][]>> out = new LinkedHashMap<>();
    try (Feeds f = new Feeds(batch)) {
      Session.Runner r = f.feed(session.runner());
      for (SiamFcNet.BatchStats s : stats) {
        r.fetch(s.mean()).fetch(s.variance());
      }
      try (Result res = r.run()) {
        for (int k = 0; k < stats.size(); k++) {
          out.computeIfAbsent(stats.get(k).layer(), n -> new ArrayList<>())
              .add(new float[][] {FloatTensors.read(res.get(2 * k)), FloatTensors.read(res.get(2 * k + 1))});
        }
      }
    }
    return out;
  }

  public int scoreSize() {
    return scoreSize;
  }

  /** Tensors of one batch, closed together. */
  private final class Feeds implements AutoCloseable {
    final TFloat32 ex;
    final TFloat32 in;
    final TFloat32 lab;
    final TFloat32 wt;

    Feeds(PairBatches.Batch b) {
      int n = b.size();
      int cells = scoreSize * scoreSize;
      float[] l = new float[n * cells];
      float[] w = new float[n * cells];
      for (int i = 0; i < n; i++) {
        BalancedLoss.labels(b.offsetX()[i], b.offsetY()[i], scoreSize, SiamFcNet.TOTAL_STRIDE, l, w, i * cells);
      }
      ex = FloatTensors.of(b.exemplars(), n, 127, 127, 3);
      in = FloatTensors.of(b.instances(), n, 255, 255, 3);
      lab = FloatTensors.of(l, n, scoreSize, scoreSize);
      wt = FloatTensors.of(w, n, scoreSize, scoreSize);
    }

    Session.Runner feed(Session.Runner r) {
      return r.feed(exemplar, ex).feed(instance, in).feed(labels, lab).feed(weights, wt);
    }

    @Override
    public void close() {
      ex.close();
      in.close();
      lab.close();
      wt.close();
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
