package io.argus.jobs.ops;

import static io.argus.jobs.ops.DeploymentFiles.at;
import static io.argus.jobs.ops.DeploymentFiles.dockerfile;
import static io.argus.jobs.ops.DeploymentFiles.list;
import static io.argus.jobs.ops.DeploymentFiles.map;
import static io.argus.jobs.ops.DeploymentFiles.pom;
import static io.argus.jobs.ops.DeploymentFiles.pomProperty;
import static io.argus.jobs.ops.DeploymentFiles.str;
import static io.argus.jobs.ops.DeploymentFiles.xpath;
import static io.argus.jobs.ops.DeploymentFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.argus.jobs.config.MessageSizes;
import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.feed.SceneFeed;
import io.argus.jobs.ops.DeploymentFiles.Instruction;
import io.argus.models.image.Box;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * No Docker engine or Kubernetes cluster runs where this project is built, so the images, the
 * compose cluster and the manifests are held to the build here: jar names, entry classes, image
 * tags, topic names and sizes, every ARGUS_* variable and --set key, ports, and the START boxes of
 * the compose cameras.
 */
class DeploymentFilesTest {

  static final String TRACKING_JOB = "io.argus.jobs.TrackingJob";
  static final List<String> DEFAULT_TOPICS = List.of(Setting.TOPIC_FRAMES.defaultValue(),
      Setting.TOPIC_COMMANDS.defaultValue(), Setting.TOPIC_TRACKS.defaultValue(), Setting.TOPIC_DEAD_LETTERS.defaultValue());

  // ---- the job jar and the images ----

  static Document jobsPom() {
    return pom("jobs/pom.xml");
  }

  /** The shaded jar's file name, from the dist profile. */
  static String jobJarName() {
    String out = xpath(jobsPom(), "/project/profiles/profile[id='dist']/build/plugins/plugin[artifactId='maven-shade-plugin']"
        + "/executions/execution/configuration/outputFile");
    assertThat(out).as("shade outputFile").startsWith("${project.build.directory}/");
    return out.substring(out.lastIndexOf('/') + 1);
  }

  static void assertMainClass(String className) throws Exception {
    Method main = Class.forName(className).getMethod("main", String[].class);
    assertThat(Modifier.isStatic(main.getModifiers())).as(className + ".main is static").isTrue();
  }

  @Test
  void theShadedJarIsTheJobWithItsConnectorsAndWithoutTheCluster() throws Exception {
    Document pom = jobsPom();
    String shade = "/project/profiles/profile[id='dist']/build/plugins/plugin[artifactId='maven-shade-plugin']/executions/execution/configuration";
    assertThat(jobJarName()).isEqualTo("argus-job.jar");
    String mainClass = xpath(pom, shade + "/transformers/transformer/mainClass");
    assertThat(mainClass).isEqualTo(TRACKING_JOB);
    assertMainClass(mainClass);
    Set<String> excluded = new TreeSet<>();
    var nodes = DeploymentFiles.nodes(pom, shade + "/artifactSet/excludes/exclude");
    for (int i = 0; i < nodes.getLength(); i++) {
      excluded.add(nodes.item(i).getTextContent().strip());
    }
    assertThat(excluded).contains("org.apache.flink:flink-runtime", "org.apache.flink:flink-streaming-java",
        "org.apache.flink:flink-clients", "org.apache.flink:flink-statebackend-*", "org.apache.kafka:kafka_2.13",
        "org.apache.logging.log4j:*");
    // what the cluster does not bring must stay in
    assertThat(excluded).noneMatch(e -> e.startsWith("org.apache.flink:flink-connector-kafka")
        || e.startsWith("org.apache.flink:flink-avro") || e.startsWith("org.apache.flink:flink-connector-base")
        || e.startsWith("org.tensorflow") || e.startsWith("org.apache.kafka:kafka-clients") || e.equals("*:*"));
    assertThat(xpath(pom, shade + "/transformers/transformer/@implementation[contains(., 'Services')]")).isNotEmpty();
  }

  @Test
  void theImagesAreBuiltFromTheOfficialFlinkImageWithTheJobJarInUsrlib() throws Exception {
    String jar = jobJarName();
    String flinkImage = "flink:" + pomProperty("flink.version") + "-java" + pomProperty("maven.compiler.release");
    String flinkLib = xpath(jobsPom(), "/project/profiles/profile[id='dist']/build/plugins/plugin[artifactId='maven-dependency-plugin']"
        + "/executions/execution[id='flink-lib']/configuration/outputDirectory");
    assertThat(flinkLib).isEqualTo("${project.build.directory}/flink-lib");
    String libGroups = xpath(jobsPom(), "/project/profiles/profile[id='dist']/build/plugins/plugin[artifactId='maven-dependency-plugin']"
        + "/executions/execution[id='flink-lib']/configuration/includeGroupIds");

    for (String file : List.of("docker/Dockerfile", "docker/Dockerfile.gpu")) {
      List<Instruction> df = dockerfile(file);
      assertThat(df).as(file).contains(new Instruction("ARG", "FLINK_IMAGE=" + flinkImage));
      assertThat(df.stream().filter(i -> i.keyword().equals("FROM")).map(Instruction::args).toList())
          .as(file).containsExactly("maven:3.9-eclipse-temurin-" + pomProperty("maven.compiler.release") + " AS build",
              "${FLINK_IMAGE}");
      assertThat(df).as(file).anySatisfy(i -> {
        assertThat(i.keyword()).isEqualTo("COPY");
        assertThat(i.args()).endsWith("/src/jobs/target/" + jar + " /opt/flink/usrlib/" + jar);
      });
      assertThat(df).as(file).anySatisfy(i -> assertThat(i.args()).endsWith("/src/jobs/target/flink-lib/ /opt/flink/lib/"));
      assertThat(df).as(file).anySatisfy(i -> assertThat(i.args()).endsWith("docker/argus /opt/argus/bin/argus"));
      assertThat(df).as(file).anySatisfy(i -> assertThat(i.args()).startsWith("--mount=type=cache,target=/root/.m2 mvn")
          .contains("-P${MAVEN_PROFILES}").contains("package"));
      // TensorFlow from the parent class loader: exactly the groups copied into lib/
      String patterns = df.stream().filter(i -> i.args().contains("classloader.parent-first-patterns.additional"))
          .findFirst().orElseThrow().args();
      for (String group : libGroups.split(",")) {
        assertThat(patterns).as(file).contains(group.strip() + ".");
      }
    }
    String profiles = dockerfile("docker/Dockerfile").stream().filter(i -> i.args().startsWith("MAVEN_PROFILES="))
        .findFirst().orElseThrow().args();
    assertThat(profiles).isEqualTo("MAVEN_PROFILES=dist");
    String gpuProfiles = dockerfile("docker/Dockerfile.gpu").stream().filter(i -> i.args().startsWith("MAVEN_PROFILES="))
        .findFirst().orElseThrow().args();
    assertThat(gpuProfiles).isEqualTo("MAVEN_PROFILES=dist,gpu");
    // -Pgpu swaps TensorFlow's native library for its CUDA build; the GPU image brings CUDA 12 and cuDNN 9
    assertThat(pomProperty("tensorflow.native.classifier")).isEqualTo("linux-x86_64");
    assertThat(xpath(pom("pom.xml"), "/project/profiles/profile[id='gpu']/properties/tensorflow.native.classifier"))
        .isEqualTo("linux-x86_64-gpu");
    assertThat(DeploymentFiles.read("docker/Dockerfile.gpu")).contains("cuda-libraries-${CUDA_VERSION}",
        "ARG CUDA_VERSION=12-", "libcudnn9-cuda-12", "NVIDIA_VISIBLE_DEVICES");

    // the CLI in the image: the job jar first, the image's Flink and TensorFlow jars after it
    String cli = DeploymentFiles.read("docker/argus");
    assertThat(cli).contains("/opt/flink/usrlib/" + jar + ":/opt/flink/lib/*").contains("io.argus.jobs.cli.Argus");
    assertMainClass("io.argus.jobs.cli.Argus");
    assertThat(Files.isExecutable(DeploymentFiles.ROOT.resolve("docker/argus"))).isTrue();
  }

  // ---- the compose cluster ----

  static Map<String, Object> services() {
    return map(yaml("docker/compose.yaml").get(0).get("services"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object e = service.get("environment");
    if (e != null) {
      map(e).forEach((k, v) -> env.put(k, String.valueOf(v)));
    }
    return env;
  }

  static List<String> args(Object command) {
    return list(command).stream().map(String::valueOf).toList();
  }

  @Test
  void composeRunsTheImageTheBuildMakesWithRealSettings() throws Exception {
    Map<String, Object> services = services();
    assertThat(services).containsKeys("kafka", "topics", "jobmanager", "taskmanager", "commands", "camera", "tracks");
    assertThat(str(map(services.get("kafka")), "image")).isEqualTo("apache/kafka:" + pomProperty("kafka.version"));
    assertThat(str(map(services.get("topics")), "image")).isEqualTo("apache/kafka:" + pomProperty("kafka.version"));

    for (String name : List.of("jobmanager", "taskmanager", "commands", "camera", "tracks", "camera-sequence")) {
      Map<String, Object> s = map(services.get(name));
      assertThat(str(s, "build", "dockerfile")).as(name).isEqualTo("docker/Dockerfile");
      assertThat(str(s, "build", "context")).as(name).isEqualTo("..");
      // every ARGUS_* variable is a setting and its value passes the settings' checks
      Map<String, String> env = environment(s);
      env.keySet().stream().filter(k -> !k.startsWith("ARGUS_")).forEach(k -> assertThat(k).as(name).isEqualTo("FLINK_PROPERTIES"));
      Settings.load(null, env, Map.of());
    }
    // a host variable named ARGUS_* would be refused by bin/argus in the same shell
    assertThat(DeploymentFiles.read("docker/compose.yaml")).doesNotContain("${ARGUS_");

    Map<String, Object> jm = map(services.get("jobmanager"));
    List<String> command = args(jm.get("command"));
    assertThat(command.subList(0, 3)).containsExactly("standalone-job", "--job-classname", TRACKING_JOB);
    assertMainClass(command.get(2));
    assertThat(args(jm.get("ports"))).contains("8081:8081");
    assertThat(environment(jm).get("FLINK_PROPERTIES")).contains("jobmanager.rpc.address: jobmanager");
    assertThat(environment(map(services.get("taskmanager"))).get("FLINK_PROPERTIES"))
        .contains("jobmanager.rpc.address: jobmanager").contains("taskmanager.memory.task.off-heap.size");
    Settings job = Settings.load(null, environment(jm), Map.of());
    assertThat(job.get(Setting.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(args(jm.get("volumes"))).contains("checkpoints:" + job.get(Setting.CHECKPOINT_DIR).replace("file://", ""));

    // every argus process reaches the broker where it advertises itself
    Map<String, String> kafkaEnv = environment(map(services.get("kafka")));
    for (String name : List.of("jobmanager", "commands", "camera", "tracks")) {
      String bootstrap = Settings.load(null, environment(map(services.get(name))), Map.of()).get(Setting.BOOTSTRAP_SERVERS);
      assertThat(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS")).as(name).contains("://" + bootstrap);
    }
    assertThat(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS")).contains("HOST://localhost:29092");
    assertThat(args(map(services.get("kafka")).get("ports")).get(0)).startsWith("29092:29092");
    assertThat(kafkaEnv.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
  }

  /** kafka-topics.sh --create lines of the compose topics service: topic → its --config pairs (plus partitions). */
  static Map<String, Map<String, String>> composeTopics() {
    String script = String.valueOf(list(map(services().get("topics")).get("command")).get(0));
    Map<String, Map<String, String>> topics = new LinkedHashMap<>();
    for (String line : script.split("\n")) {
      if (!line.contains("--create")) {
        continue;
      }
      Matcher topic = Pattern.compile("--topic (\\S+)").matcher(line);
      assertThat(topic.find()).as(line).isTrue();
      Map<String, String> configs = new HashMap<>();
      Matcher config = Pattern.compile("--config ([a-z.]+)=(\\S+)").matcher(line);
      while (config.find()) {
        configs.put(config.group(1), config.group(2));
      }
      Matcher partitions = Pattern.compile("--partitions (\\d+)").matcher(line);
      assertThat(partitions.find()).as(line).isTrue();
      configs.put("partitions", partitions.group(1));
      topics.put(topic.group(1), configs);
    }
    return topics;
  }

  @Test
  void composeTopicsAreTheSettingsTopicsSizedForFrames() {
    Map<String, Map<String, String>> topics = composeTopics();
    assertThat(topics.keySet()).containsExactlyElementsOf(DEFAULT_TOPICS);
    Settings s = Settings.load(null, environment(map(services().get("jobmanager"))), Map.of());
    assertThat(List.of(s.get(Setting.TOPIC_FRAMES), s.get(Setting.TOPIC_COMMANDS), s.get(Setting.TOPIC_TRACKS),
        s.get(Setting.TOPIC_DEAD_LETTERS))).containsExactlyElementsOf(DEFAULT_TOPICS);
    assertTopicSizes(s, Long.parseLong(topics.get(s.get(Setting.TOPIC_FRAMES)).get("max.message.bytes")),
        Long.parseLong(topics.get(s.get(Setting.TOPIC_DEAD_LETTERS)).get("max.message.bytes")));
    assertThat(topics.get(s.get(Setting.TOPIC_COMMANDS)).get("cleanup.policy")).doesNotContain("compact");
    long largest = topics.values().stream().mapToLong(c -> Long.parseLong(c.get("max.message.bytes"))).max().orElseThrow();
    assertThat(Long.parseLong(environment(map(services().get("kafka"))).get("KAFKA_MESSAGE_MAX_BYTES")))
        .isGreaterThanOrEqualTo(largest);
  }

  static void assertTopicSizes(Settings s, long frames, long deadLetters) {
    assertThat(frames).as("frames topic max.message.bytes for " + Setting.MAX_FRAME_BYTES.key() + "="
        + s.get(Setting.MAX_FRAME_BYTES)).isBetween((long) MessageSizes.framesTopicMinBytes(s),
        (long) MessageSizes.framesTopicMaxBytes(s));
    assertThat(deadLetters).as("dead-letters topic max.message.bytes")
        .isGreaterThanOrEqualTo(MessageSizes.deadLettersTopicMinBytes(s));
  }

  @Test
  void composeStartsEachGeneratedObjectOnItsGroundTruthBox() {
    Map<String, Object> services = services();
    List<String> camera = args(map(services.get("camera")).get("command"));
    assertThat(camera.get(0)).isEqualTo("camera");
    assertThat(camera).contains("--scene", "--loop");
    String prefix = option(camera, "--camera");
    int cameras = Integer.parseInt(option(camera, "--cameras"));
    int objects = Integer.parseInt(option(camera, "--objects"));
    String[] size = option(camera, "--size").split("x");
    long seed = Long.parseLong(option(camera, "--seed"));

    String script = String.valueOf(list(map(services.get("commands")).get("command")).get(0));
    Matcher start = Pattern.compile("argus command start --camera (\\S+) --target (\\S+) --frame 0 --box (\\S+)").matcher(script);
    Map<String, double[]> boxes = new LinkedHashMap<>();
    while (start.find()) {
      boxes.put(start.group(1) + "/" + start.group(2),
          java.util.Arrays.stream(start.group(3).split(",")).mapToDouble(Double::parseDouble).toArray());
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < cameras; i++) {
      // the same feeds 'argus camera --scene' builds: camera i is prefix-(i+1) with seed + i
      SceneFeed feed = new SceneFeed(prefix + "-" + (i + 1),
          SceneFeed.demoSpec(Integer.parseInt(size[0]), Integer.parseInt(size[1]), objects, seed + i), 1);
      List<Box> truths = feed.frame(0).truths();
      for (int k = 0; k < truths.size(); k++) {
        String key = feed.cameraId() + "/obj-" + (k + 1);
        expected.add(key);
        double[] b = boxes.get(key);
        assertThat(b).as("START box of " + key).isNotNull();
        Box t = truths.get(k);
        assertThat(b).as(key).containsExactly(new double[] {t.x(), t.y(), t.width(), t.height()},
            org.assertj.core.data.Offset.offset(0.06));
      }
    }
    assertThat(boxes.keySet()).containsExactlyElementsOf(expected);
  }

  static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    assertThat(i).as(name + " in " + args).isGreaterThanOrEqualTo(0);
    return args.get(i + 1);
  }

  // ---- Kubernetes ----

  static final List<String> FLINK_DEPLOYMENTS = List.of("deploy/kubernetes/flink-deployment.yaml",
      "deploy/kubernetes/flink-deployment-gpu.yaml");

  /** The --set pairs of a FlinkDeployment's job args. */
  static Map<String, String> setFlags(Map<String, Object> deployment) {
    List<String> args = args(at(deployment, "spec", "job", "args"));
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      assertThat(args.get(i)).as("job args are --set KEY=VALUE pairs").isEqualTo("--set");
      String[] kv = args.get(++i).split("=", 2);
      out.put(kv[0], kv[1]);
    }
    return out;
  }

  static Map<String, Object> mainContainer(Object podTemplate) {
    return map(list(at(map(podTemplate), "spec", "containers")).stream()
        .filter(c -> "flink-main-container".equals(map(c).get("name"))).findFirst().orElseThrow());
  }

  /** The main container's environment; a secret's value stands in as "from-secret:NAME/KEY". */
  static Map<String, String> podEnv(Map<String, Object> deployment) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object o : list(mainContainer(at(deployment, "spec", "podTemplate")).get("env"))) {
      Map<String, Object> e = map(o);
      String value = e.containsKey("value") ? String.valueOf(e.get("value"))
          : "from-secret:" + str(e, "valueFrom", "secretKeyRef", "name") + "/" + str(e, "valueFrom", "secretKeyRef", "key");
      env.put(String.valueOf(e.get("name")), value);
    }
    return env;
  }

  static Settings jobSettings(Map<String, Object> deployment) {
    Map<String, String> env = new LinkedHashMap<>(podEnv(deployment));
    env.keySet().removeIf(k -> !k.startsWith("ARGUS_"));
    return Settings.load(null, env, setFlags(deployment));
  }

  @Test
  void flinkDeploymentsRunTheJobJarWithRealSettingsAndDurableState() throws Exception {
    String flinkVersion = pomProperty("flink.version");
    for (String file : FLINK_DEPLOYMENTS) {
      Map<String, Object> d = yaml(file).get(0);
      assertThat(str(d, "apiVersion")).isEqualTo("flink.apache.org/v1beta1");
      assertThat(str(d, "kind")).isEqualTo("FlinkDeployment");
      assertThat(str(d, "spec", "flinkVersion")).as(file)
          .isEqualTo("v" + flinkVersion.substring(0, flinkVersion.lastIndexOf('.')).replace('.', '_'));
      assertThat(str(d, "spec", "job", "jarURI")).as(file).isEqualTo("local:///opt/flink/usrlib/" + jobJarName());
      assertThat(str(d, "spec", "job", "entryClass")).as(file).isEqualTo(TRACKING_JOB);
      assertThat(str(d, "spec", "job", "upgradeMode")).as(file).isEqualTo("savepoint");

      Map<String, Object> conf = map(at(d, "spec", "flinkConfiguration"));
      Settings s = jobSettings(d);
      // the job sets the backend and the checkpoint directory itself: they must be the cluster's
      assertThat(s.get(Setting.STATE_BACKEND)).as(file).isEqualTo("rocksdb").isEqualTo(conf.get("state.backend.type"));
      assertThat(s.get(Setting.CHECKPOINT_DIR)).as(file).isEqualTo(conf.get("execution.checkpointing.dir"));
      for (String durable : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir",
          "high-availability.storageDir")) {
        assertThat(String.valueOf(conf.get(durable))).as(file + " " + durable).matches("(s3|s3a|s3p|gs|hdfs|abfss|oss)://.+");
      }
      assertThat(conf.get("high-availability.type")).as(file).isEqualTo("kubernetes");
      assertThat(String.valueOf(conf.get("classloader.parent-first-patterns.additional")))
          .contains("org.tensorflow.", "org.bytedeco.", "com.google.protobuf.");
      assertThat(conf).containsKey("taskmanager.memory.task.off-heap.size");
      assertThat(podEnv(d)).containsEntry("ENABLE_BUILT_IN_PLUGINS", "flink-s3-fs-presto-" + flinkVersion + ".jar");

      // Kafka over TLS with SCRAM; the password only ever from a secret
      assertThat(s.securityProtocol()).as(file).isEqualTo("SASL_SSL");
      assertThat(s.kafkaClientProperties().get("sasl.jaas.config")).as(file).startsWith("from-secret:");
      assertThat(s.kafkaClientProperties().get("ssl.truststore.location")).startsWith("/etc/kafka-ca/");
      assertThat(list(map(mainContainer(at(d, "spec", "podTemplate"))).get("volumeMounts"))).anySatisfy(
          m -> assertThat(str(map(m), "mountPath")).isEqualTo("/etc/kafka-ca"));

      // resources, and slots for the tracking operator's parallelism
      for (String role : List.of("jobManager", "taskManager")) {
        assertThat(str(d, "spec", role, "resource", "memory")).as(file + " " + role).isNotBlank();
        assertThat(at(d, "spec", role, "resource", "cpu")).as(file + " " + role).isNotNull();
      }
      int parallelism = ((Number) at(d, "spec", "job", "parallelism")).intValue();
      assertThat(s.getInt(Setting.PARALLELISM)).as(file).isLessThanOrEqualTo(parallelism);
      Object replicas = at(d, "spec", "taskManager", "replicas");
      if (replicas != null) {
        assertThat(((Number) replicas).intValue() * Integer.parseInt(String.valueOf(conf.get("taskmanager.numberOfTaskSlots"))))
            .as(file + " slots").isGreaterThanOrEqualTo(parallelism);
      }
    }
  }

  @Test
  void bothDeploymentsPublishMetricsForPrometheusAndAPodMonitorScrapesThem() {
    Map<String, String> reporter = DeploymentFiles.prometheusReporter();
    assertThat(reporter).containsEntry("metrics.reporter.prom.factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    String port = reporter.get("metrics.reporter.prom.port");
    assertThat(port).matches("\\d+");
    for (String file : FLINK_DEPLOYMENTS) {
      Map<String, Object> conf = map(at(yaml(file).get(0), "spec", "flinkConfiguration"));
      reporter.forEach((k, v) -> assertThat(String.valueOf(conf.get(k))).as(file + " " + k).isEqualTo(v));
    }
    Map<String, Object> monitor = yaml("deploy/kubernetes/prometheus-podmonitor.yaml").get(0);
    assertThat(str(monitor, "kind")).isEqualTo("PodMonitor");
    assertThat(list(at(monitor, "spec", "podMetricsEndpoints"))).singleElement()
        .satisfies(e -> assertThat(String.valueOf(map(e).get("targetPort"))).isEqualTo(port));
    // the Flink operator labels every pod of a deployment app=<name>
    List<String> names = FLINK_DEPLOYMENTS.stream().map(f -> str(yaml(f).get(0), "metadata", "name")).toList();
    Object values = map(list(at(monitor, "spec", "selector", "matchExpressions")).get(0)).get("values");
    assertThat(list(values)).containsExactlyInAnyOrderElementsOf(names);
  }

  @Test
  void theGpuDeploymentPutsOneGpuUnderEachTaskManagerOnly() {
    Map<String, Object> gpu = yaml("deploy/kubernetes/flink-deployment-gpu.yaml").get(0);
    Map<String, Object> cpu = yaml("deploy/kubernetes/flink-deployment.yaml").get(0);
    assertThat(str(gpu, "spec", "image")).contains("gpu");
    Map<String, Object> tm = mainContainer(at(gpu, "spec", "taskManager", "podTemplate"));
    assertThat(Integer.parseInt(String.valueOf(at(tm, "resources", "limits", "nvidia.com/gpu")))).isEqualTo(1);
    assertThat(map(at(gpu, "spec", "taskManager", "podTemplate", "spec", "nodeSelector"))).isNotEmpty();
    assertThat(list(at(gpu, "spec", "taskManager", "podTemplate", "spec", "tolerations"))).isNotEmpty();
    assertThat(String.valueOf(at(gpu, "spec", "flinkConfiguration", "taskmanager.numberOfTaskSlots"))).isEqualTo("1");
    // the job manager's pod template and the whole CPU deployment ask for no GPU
    assertThat(String.valueOf(at(gpu, "spec", "podTemplate"))).doesNotContain("nvidia.com/gpu");
    assertThat(DeploymentFiles.read("deploy/kubernetes/flink-deployment.yaml")).doesNotContain("nvidia.com/gpu");
    // the same job: same consumer group, topics and settings apart from the parallelism
    Map<String, String> gpuFlags = new HashMap<>(setFlags(gpu));
    Map<String, String> cpuFlags = new HashMap<>(setFlags(cpu));
    gpuFlags.remove(Setting.PARALLELISM.key());
    cpuFlags.remove(Setting.PARALLELISM.key());
    assertThat(gpuFlags).isEqualTo(cpuFlags);
    assertThat(podEnv(gpu)).isEqualTo(podEnv(cpu));
  }

  static Map<String, Map<String, Object>> kafkaTopics() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> t : yaml("deploy/kubernetes/kafka-topics.yaml")) {
      assertThat(str(t, "kind")).isEqualTo("KafkaTopic");
      out.put(str(t, "spec", "topicName"), t);
    }
    return out;
  }

  @Test
  void kafkaTopicsAreTheJobsTopicsSizedForItsFrames() {
    Map<String, Map<String, Object>> topics = kafkaTopics();
    assertThat(topics.keySet()).containsExactlyElementsOf(DEFAULT_TOPICS);
    for (String file : FLINK_DEPLOYMENTS) {
      Map<String, Object> d = yaml(file).get(0);
      Settings s = jobSettings(d);
      assertThat(List.of(s.get(Setting.TOPIC_FRAMES), s.get(Setting.TOPIC_COMMANDS), s.get(Setting.TOPIC_TRACKS),
          s.get(Setting.TOPIC_DEAD_LETTERS))).containsExactlyElementsOf(DEFAULT_TOPICS);
      assertTopicSizes(s,
          ((Number) at(topics.get(s.get(Setting.TOPIC_FRAMES)), "spec", "config", "max.message.bytes")).longValue(),
          ((Number) at(topics.get(s.get(Setting.TOPIC_DEAD_LETTERS)), "spec", "config", "max.message.bytes")).longValue());
      // the sources read with the job's default parallelism: enough partitions to give every subtask some
      assertThat(((Number) at(topics.get(s.get(Setting.TOPIC_FRAMES)), "spec", "partitions")).intValue())
          .isGreaterThanOrEqualTo(((Number) at(d, "spec", "job", "parallelism")).intValue());
    }
    Set<String> clusters = new TreeSet<>();
    topics.forEach((name, t) -> {
      clusters.add(str(t, "metadata", "labels", "strimzi.io/cluster"));
      int replicas = ((Number) at(t, "spec", "replicas")).intValue();
      int minIsr = ((Number) at(t, "spec", "config", "min.insync.replicas")).intValue();
      assertThat(minIsr).as(name).isGreaterThan(1).isLessThan(replicas);
      assertThat(str(t, "spec", "config", "retention.ms")).as(name).isNotNull();
    });
    assertThat(clusters).hasSize(1);
    // commands are keyed by camera and one camera has many targets: compaction would lose STARTs
    assertThat(str(topics.get("argus.commands"), "spec", "config", "cleanup.policy")).isEqualTo("delete");
    // tracks are keyed by camera/target: compacted to each target's latest state, after a day of full history
    assertThat(str(topics.get("argus.tracks"), "spec", "config", "cleanup.policy")).isEqualTo("compact,delete");
    assertThat(str(topics.get("argus.tracks"), "spec", "config", "min.compaction.lag.ms")).isNotNull();
  }

  @Test
  void theJobsKafkaUserMayDoWhatTheJobDoesAndItsSecretIsTheOneTheJobReads() {
    Map<String, Map<String, Object>> users = new LinkedHashMap<>();
    for (Map<String, Object> u : yaml("deploy/kubernetes/kafka-users.yaml")) {
      assertThat(str(u, "kind")).isEqualTo("KafkaUser");
      assertThat(str(u, "spec", "authentication", "type")).isEqualTo("scram-sha-512");
      users.put(str(u, "metadata", "name"), u);
    }
    Map<String, Object> d = yaml("deploy/kubernetes/flink-deployment.yaml").get(0);
    Settings s = jobSettings(d);
    assertThat(s.kafkaClientProperties().get("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    String secret = s.kafkaClientProperties().get("sasl.jaas.config").substring("from-secret:".length()).split("/")[0];
    Map<String, Object> job = users.get(secret);
    assertThat(job).as("KafkaUser " + secret).isNotNull();
    Map<String, Set<String>> grants = new HashMap<>();
    for (Object a : list(at(job, "spec", "authorization", "acls"))) {
      Map<String, Object> acl = map(a);
      String resource = str(acl, "resource", "type") + ":" + str(acl, "resource", "name");
      grants.computeIfAbsent(resource, k -> new TreeSet<>()).addAll(args(acl.get("operations")));
    }
    assertThat(grants.get("topic:" + s.get(Setting.TOPIC_FRAMES))).contains("Read", "Describe", "DescribeConfigs");
    assertThat(grants.get("topic:" + s.get(Setting.TOPIC_COMMANDS))).contains("Read", "Describe");
    assertThat(grants.get("topic:" + s.get(Setting.TOPIC_TRACKS))).contains("Write", "Describe");
    assertThat(grants.get("topic:" + s.get(Setting.TOPIC_DEAD_LETTERS))).contains("Write", "Describe", "DescribeConfigs");
    assertThat(grants.get("group:" + s.get(Setting.GROUP_ID))).contains("Read");
    // the sinks' transactional ids are <group>-<sink>-...
    assertThat(grants.get("transactionalId:" + s.get(Setting.GROUP_ID) + "-")).contains("Write", "Describe");
  }
}
