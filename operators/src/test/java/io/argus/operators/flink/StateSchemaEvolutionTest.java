package io.argus.operators.flink;

import static io.argus.operators.flink.CameraTrackerTest.iou;
import static io.argus.operators.flink.CameraTrackerTest.movingFrame;
import static io.argus.operators.flink.CameraTrackerTest.start;
import static io.argus.operators.flink.CameraTrackerTest.truth;
import static org.assertj.core.api.Assertions.assertThat;

import io.argus.operators.core.TargetState;
import io.argus.operators.inference.TinyXcorrModel;
import io.argus.schemas.TrackState;
import io.argus.schemas.TrackUpdate;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.operators.testutils.MockInputSplitProvider;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrading the job when its state types change. State types are Java records serialised by
 * Flink's POJO serializer; its snapshot (written into every checkpoint and savepoint) names the
 * class and its fields, and on restore Flink compares that with the class it now has. These tests
 * take state written by one version of a class and restore it with another version of the same
 * class name, compiled here and loaded beside the current one, and check what
 * docs/RELIABILITY.md promises: fields may be added or removed, never retyped.
 */
class StateSchemaEvolutionTest {

  @TempDir static Path tmp;
  static Path modelDir;

  @BeforeAll
  static void exportModel() throws Exception {
    modelDir = TinyXcorrModel.export(tmp.resolve("tiny"), Map.of());
  }

  // ---- the rules, on a small record --------------------------------------------------------

  static final String SAMPLE = "io.argus.evolution.Sample";

  static ClassLoader sampleVersion(String name, String components) throws Exception {
    Path classes = EvolvedClasses.compile(tmp.resolve("sample-" + name), Map.of("Sample.java",
        "package io.argus.evolution;\npublic record Sample(" + components + ") {}\n"));
    return EvolvedClasses.childFirst(List.of(classes), n -> n.startsWith("io.argus.evolution."));
  }

  /** What a restore does: the old serializer's snapshot and bytes, read by the new class. */
  record Restore(TypeSerializerSchemaCompatibility<Object> compatibility, Object value) {}

  @SuppressWarnings("unchecked")
  static Restore restore(Class<?> oldClass, Object oldValue, Class<?> newClass) throws Exception {
    var config = new ExecutionConfig().getSerializerConfig();
    TypeSerializer<Object> oldSerializer = (TypeSerializer<Object>) TypeInformation.of(oldClass).createSerializer(config);
    DataOutputSerializer out = new DataOutputSerializer(256);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, oldSerializer.snapshotConfiguration());
    oldSerializer.serialize(oldValue, out);

    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    TypeSerializerSnapshot<Object> written = TypeSerializerSnapshot.readVersionedSnapshot(in, newClass.getClassLoader());
    TypeSerializer<Object> newSerializer = (TypeSerializer<Object>) TypeInformation.of(newClass).createSerializer(config);
    TypeSerializerSchemaCompatibility<Object> compatibility =
        newSerializer.snapshotConfiguration().resolveSchemaCompatibility(written);
    if (compatibility.isIncompatible()) {
      return new Restore(compatibility, null);
    }
    Object value = written.restoreSerializer().deserialize(in);
    // and the migrated value goes on in the new format
    DataOutputSerializer again = new DataOutputSerializer(256);
    newSerializer.serialize(value, again);
    assertThat(newSerializer.deserialize(new DataInputDeserializer(again.getCopyOfBuffer()))).isEqualTo(value);
    return new Restore(compatibility, value);
  }

  static Object component(Object record, String name) throws Exception {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (c.getName().equals(name)) {
        c.getAccessor().setAccessible(true);
        return c.getAccessor().invoke(record);
      }
    }
    throw new AssertionError(record.getClass() + " has no component " + name);
  }

  static Object sample(ClassLoader loader, Object... values) throws Exception {
    Class<?> c = loader.loadClass(SAMPLE);
    return c.getDeclaredConstructors()[0].newInstance(values);
  }

  @Test
  void theSameClassRestoresAsIs() throws Exception {
    ClassLoader v1 = sampleVersion("v1", "String id, double x, int n");
    ClassLoader v1again = sampleVersion("v1-again", "String id, double x, int n");
    Restore r = restore(v1.loadClass(SAMPLE), sample(v1, "a", 1.5, 7), v1again.loadClass(SAMPLE));
    assertThat(r.compatibility().isCompatibleAsIs()).isTrue();
    assertThat(component(r.value(), "n")).isEqualTo(7);
  }

  @Test
  void anAddedFieldMigratesAndStartsAtItsJavaDefault() throws Exception {
    ClassLoader v1 = sampleVersion("add-v1", "String id, double x, int n");
    ClassLoader v2 = sampleVersion("add-v2", "String id, double x, int n, String zone, long since");
    Restore r = restore(v1.loadClass(SAMPLE), sample(v1, "a", 1.5, 7), v2.loadClass(SAMPLE));
    assertThat(r.compatibility().isCompatibleAfterMigration()).isTrue();
    assertThat(r.value().getClass()).isSameAs(v2.loadClass(SAMPLE));
    assertThat(component(r.value(), "id")).isEqualTo("a");
    assertThat(component(r.value(), "x")).isEqualTo(1.5);
    assertThat(component(r.value(), "n")).isEqualTo(7);
    assertThat(component(r.value(), "zone")).isNull();
    assertThat(component(r.value(), "since")).isEqualTo(0L);
  }

  /**
   * Flink 2.2.1 announces the migration but cannot perform it for a record: its record builder
   * indexes the constructor arguments by the old field positions. So a component of a state
   * record is never removed; it stays, unused, until a version that can drop it (this test fails
   * the day Flink fixes it, and the rule in docs/RELIABILITY.md can go).
   */
  @Test
  void aRemovedRecordFieldIsAnnouncedAsMigratableButFailsToRestoreInFlink221() throws Exception {
    ClassLoader v1 = sampleVersion("remove-v1", "String id, double x, int n");
    ClassLoader v2 = sampleVersion("remove-v2", "String id, double x");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> restore(v1.loadClass(SAMPLE), sample(v1, "a", 1.5, 7), v2.loadClass(SAMPLE)))
        .isInstanceOf(ArrayIndexOutOfBoundsException.class)
        .hasStackTraceContaining("JavaRecordBuilder");
  }

  @Test
  void fieldsAreMatchedByNameNotPosition() throws Exception {
    ClassLoader v1 = sampleVersion("order-v1", "String id, double x, int n");
    ClassLoader v2 = sampleVersion("order-v2", "int n, String id, double x");
    Restore r = restore(v1.loadClass(SAMPLE), sample(v1, "a", 1.5, 7), v2.loadClass(SAMPLE));
    assertThat(r.compatibility().isIncompatible()).isFalse();
    assertThat(component(r.value(), "id")).isEqualTo("a");
    assertThat(component(r.value(), "n")).isEqualTo(7);
  }

  @Test
  void aRenamedFieldIsARemovedOneAndANewOne() throws Exception {
    ClassLoader v1 = sampleVersion("rename-v1", "String id, double x, int n");
    ClassLoader v2 = sampleVersion("rename-v2", "String id, double x, int count");
    Restore r = restore(v1.loadClass(SAMPLE), sample(v1, "a", 1.5, 7), v2.loadClass(SAMPLE));
    assertThat(r.compatibility().isCompatibleAfterMigration()).isTrue();
    assertThat(component(r.value(), "count")).as("the value of 'n' does not move to 'count'").isEqualTo(0);
  }

  @Test
  void aFieldWhoseTypeChangesCannotBeRestored() throws Exception {
    ClassLoader v1 = sampleVersion("retype-v1", "String id, double x, int n");
    ClassLoader v2 = sampleVersion("retype-v2", "String id, double x, long n");
    Restore r = restore(v1.loadClass(SAMPLE), sample(v1, "a", 1.5, 7), v2.loadClass(SAMPLE));
    assertThat(r.compatibility().isIncompatible()).isTrue();
  }

  // ---- the real operator: a field added to TargetState --------------------------------------

  /** The tracker's API types stay shared; the tracker, its core and its state class come in the new version. */
  static final Set<String> SHARED = Set.of("io.argus.operators.flink.FrameEvent", "io.argus.operators.flink.CommandEvent",
      "io.argus.operators.flink.TrackerSettings", "io.argus.operators.flink.DeadLetters",
      "io.argus.operators.flink.Resolution", "io.argus.operators.flink.LoadShedding",
      "io.argus.operators.flink.LoadShedding$Policy");

  @Test
  void targetsStartedBeforeAnUpgradeThatAddsAFieldToTheirStateKeepTracking() throws Exception {
    TrackerSettings settings = TrackerSettings.defaults(modelDir.toString());

    // the job as it runs today: a target started, five frames, a snapshot (what a savepoint holds)
    OperatorSubtaskState snapshot;
    List<TrackUpdate> uninterrupted;
    try (var v1 = currentHarness(settings)) {
      v1.open();
      v1.processElement2(new StreamRecord<>(start("cam", "t1", 0, truth(0))));
      for (long seq = 0; seq < 5; seq++) {
        v1.processElement1(new StreamRecord<>(movingFrame("cam", seq)));
      }
      snapshot = v1.snapshot(1L, 1L);
      for (long seq = 5; seq < 10; seq++) {
        v1.processElement1(new StreamRecord<>(movingFrame("cam", seq)));
      }
      uninterrupted = v1.extractOutputValues();
    }

    // the next version: TargetState gains a field, everything else is the same code
    Path source = Path.of("src/main/java/io/argus/operators/core/TargetState.java");
    String evolved = EvolvedClasses.targetStateWithAddedField(Files.readString(source), "String zone", "null");
    Path v2Classes = EvolvedClasses.compile(tmp.resolve("target-state-v2"), Map.of("TargetState.java", evolved));
    ClassLoader v2 = EvolvedClasses.childFirst(
        List.of(v2Classes, EvolvedClasses.codeSource(CameraTracker.class)),
        n -> n.startsWith("io.argus.operators.") && !SHARED.contains(n));
    Class<?> v2State = v2.loadClass(TargetState.class.getName());
    assertThat(v2State).isNotSameAs(TargetState.class);
    assertThat(v2State.getRecordComponents()).hasSize(TargetState.class.getRecordComponents().length + 1);

    @SuppressWarnings("unchecked")
    var tracker = (AbstractStreamOperator<TrackUpdate>) v2
        .loadClass(CameraTracker.class.getName()).getConstructor(TrackerSettings.class).newInstance(settings);
    MockEnvironment env = new MockEnvironmentBuilder().setTaskName("upgraded").setManagedMemorySize(3 << 20)
        .setInputSplitProvider(new MockInputSplitProvider()).setBufferSize(1024).setMaxParallelism(1)
        .setParallelism(1).setSubtaskIndex(0).setUserCodeClassLoader(v2).build();
    try (env; var upgraded = new KeyedCoHarness(tracker, env)) {
      upgraded.initializeState(snapshot);
      upgraded.open();

      // the restored target is an instance of the new class, its new field at the Java default
      var backend = upgraded.tracker().getKeyedStateBackend();
      backend.setCurrentKey("cam");
      @SuppressWarnings({"unchecked", "rawtypes"})
      MapState<String, Object> targets = (MapState<String, Object>) backend.getPartitionedState(
          VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
          new MapStateDescriptor<>("targets", Types.STRING, (TypeInformation) TypeInformation.of(v2State)));
      Object restored = targets.get("t1");
      assertThat(restored.getClass()).isSameAs(v2State);
      assertThat(component(restored, "zone")).isNull();
      assertThat(component(restored, "lastFrameSequence")).isEqualTo(4L);

      for (long seq = 5; seq < 10; seq++) {
        upgraded.frame(movingFrame("cam", seq));
      }
      List<TrackUpdate> after = upgraded.extractOutputValues();
      assertThat(after).extracting(TrackUpdate::getFrameSequence).containsExactly(5L, 6L, 7L, 8L, 9L);
      assertThat(after).extracting(TrackUpdate::getState).containsOnly(TrackState.TRACKING);
      List<TrackUpdate> expected = uninterrupted.subList(uninterrupted.size() - 5, uninterrupted.size());
      for (int i = 0; i < 5; i++) {
        assertThat(after.get(i).getBox()).as("frame %d after the upgrade", 5 + i).isEqualTo(expected.get(i).getBox());
        assertThat(iou(after.get(i), truth(5 + i))).isGreaterThan(0.5);
      }
    }
  }

  static KeyedTwoInputStreamOperatorTestHarness<String, FrameEvent, CommandEvent, TrackUpdate> currentHarness(
      TrackerSettings settings) throws Exception {
    var h = new KeyedTwoInputStreamOperatorTestHarness<>(new CameraTracker(settings),
        FrameEvent::cameraId, CommandEvent::cameraId, Types.STRING);
    ((org.apache.flink.api.common.serialization.SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig())
        .setGenericTypes(false);
    return h;
  }

  /**
   * The keyed two-input harness on an environment of our choosing: the one thing Flink's own
   * {@link KeyedTwoInputStreamOperatorTestHarness} does not take is the environment, and the
   * environment's user-code class loader is what resolves the class names in a restored snapshot.
   */
  static final class KeyedCoHarness extends AbstractStreamOperatorTestHarness<TrackUpdate> {
    private final AbstractStreamOperator<TrackUpdate> operator;

    KeyedCoHarness(AbstractStreamOperator<TrackUpdate> operator, MockEnvironment env)
        throws Exception {
      super(operator, env);
      this.operator = operator;
      config.setStatePartitioner(0, (org.apache.flink.api.java.functions.KeySelector<FrameEvent, String>)
          FrameEvent::cameraId);
      config.setStatePartitioner(1, (org.apache.flink.api.java.functions.KeySelector<CommandEvent, String>)
          CommandEvent::cameraId);
      config.setStateKeySerializer(StringSerializer.INSTANCE);
      config.serializeAllConfigs();
    }

    AbstractStreamOperator<TrackUpdate> tracker() {
      return operator;
    }

    void frame(FrameEvent f) throws Exception {
      StreamRecord<FrameEvent> r = new StreamRecord<>(f);
      operator.setKeyContextElement1(r);
      @SuppressWarnings("unchecked")
      var twoInputs = (TwoInputStreamOperator<FrameEvent, CommandEvent, TrackUpdate>) operator;
      twoInputs.processElement1(r);
    }
  }
}
