package dev.etcdagent.agent.fields;

import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import dev.etcdagent.Discover;
import dev.etcdagent.Dynamic;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.testing.ManualScheduler;
import dev.etcdagent.agent.values.ValueOutcomes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which fields a class's initialisation binds, to which key or service, and what is refused: the
 * classes below are the inputs (not rewritten, so their fields stay as declared), etcd is a map.
 */
class FieldBinderTest {

    private static final String PREFIX = "/config/service/a";

    /** etcd's entries now, by key; and each service's addresses. */
    private final Map<String, Change> entries = new HashMap<>();
    private final Map<String, SortedSet<String>> services = new HashMap<>();
    /** The keys and services bound, in order. */
    private final List<String> bound = new ArrayList<>();
    private final Map<String, DynamicField> bindings = new HashMap<>();
    private final List<String> outcomes = new ArrayList<>();
    private final ManualScheduler apply = new ManualScheduler();

    private final ValueOutcomes recorded = new ValueOutcomes() {
        @Override
        public void applied(String key, long revision, String field) {
            outcomes.add("applied " + key + " @" + revision + " to " + field);
        }

        @Override
        public void rejected(String key, long revision, String field, String reason) {
            outcomes.add("rejected " + key + " @" + revision + " by " + field + ": " + reason);
        }
    };

    private FieldBinder binder(String configPrefix) {
        return new FieldBinder(configPrefix, null, null, null, recorded, apply) {
            @Override
            Change listen(String key, DynamicField binding) {
                bound.add(key);
                bindings.put(key, binding);
                return entries.get(key);
            }

            @Override
            SortedSet<String> follow(String service, DiscoveredField binding) {
                bound.add(service);
                return services.getOrDefault(service, new TreeSet<>());
            }
        };
    }

    private void put(String key, String value, long revision) {
        entries.put(key, new Change(key, value, revision, false));
    }

    /** Binds {@code type}, expecting no field bound and one warning saying {@code why}. */
    private void assertNoneBound(Class<?> type, String why) {
        binder(PREFIX).initialized(type, fieldsOf(type));

        assertThat(bound).isEmpty();
        assertThat(AgentLog.lastProblem()).contains(why);
    }

    static class Relative {
        @Dynamic("limit")
        static int limit = 5;
    }

    @Test
    void aRelativeKeyIsUnderTheConfigurationPrefixAndItsValueIsWrittenAtOnce() {
        put(PREFIX + "/limit", "12", 40);

        binder(PREFIX).initialized(Relative.class, fieldsOf(Relative.class));

        assertThat(bound).containsExactly(PREFIX + "/limit");
        assertThat(Relative.limit).as("on the initialising thread, no loop needed").isEqualTo(12);
        assertThat(outcomes).containsExactly("applied " + PREFIX + "/limit @40 to " + Relative.class.getName() + ".limit");
    }

    static class Unnamed {
        @Dynamic
        static String greeting = "hello";
    }

    @Test
    void anEmptyNameIsTheClassAndFieldName() {
        binder(PREFIX).initialized(Unnamed.class, fieldsOf(Unnamed.class));

        assertThat(bound).containsExactly(PREFIX + "/" + Unnamed.class.getName() + ".greeting");
        assertThat(Unnamed.greeting).as("no entry: the declared value stays").isEqualTo("hello");
        assertThat(outcomes).isEmpty();
    }

    static class Absolute {
        @Dynamic("/global/discount")
        static double discount = 0.1;
    }

    @Test
    void anAbsoluteKeyIsTakenAsItIsWithOrWithoutAPrefix() {
        put("/global/discount", "0.25", 7);

        binder(PREFIX).initialized(Absolute.class, fieldsOf(Absolute.class));
        binder(null).initialized(Absolute.class, fieldsOf(Absolute.class));

        assertThat(bound).containsExactly("/global/discount", "/global/discount");
        assertThat(Absolute.discount).isEqualTo(0.25);
    }

    static class RelativeWithoutPrefix {
        @Dynamic("/global/name")
        static String name = "declared";
        @Dynamic("limit")
        static int limit = 5;
    }

    @Test
    void aRelativeKeyWithoutAPrefixIsNotBoundAndTheWarningSaysWhatToDo() {
        put("/global/name", "from-etcd", 3);

        binder(null).initialized(RelativeWithoutPrefix.class, fieldsOf(RelativeWithoutPrefix.class));

        assertThat(bound).as("the other field is bound").containsExactly("/global/name");
        assertThat(RelativeWithoutPrefix.name).isEqualTo("from-etcd");
        assertThat(RelativeWithoutPrefix.limit).isEqualTo(5);
        assertThat(AgentLog.lastProblem()).contains("WARN @Dynamic field " + RelativeWithoutPrefix.class.getName()
                + ".limit is not bound: key 'limit' is relative but there is no configuration prefix: pass service=<id>"
                + " or config=<prefix> to the agent, or name an absolute key");
    }

    static class InstanceField {
        @Dynamic("limit")
        int limit = 5;
    }

    @Test
    void anInstanceFieldIsIgnoredWithAWarning() {
        assertNoneBound(InstanceField.class, "WARN @Dynamic field " + InstanceField.class.getName()
                + ".limit is an instance field and is ignored: the agent updates static fields only; make it static");
    }

    static class Unsupported {
        @Dynamic("weights")
        static Map<String, Integer> weights = Map.of();
    }

    @Test
    void aFieldOfATypeWithoutAConverterIsNotBoundAndTheWarningNamesTheType() {
        assertNoneBound(Unsupported.class, "WARN @Dynamic field " + Unsupported.class.getName()
                + ".weights is not bound: no converter for type java.util.Map<java.lang.String, java.lang.Integer>");
    }

    static class LeftFinal {
        @Dynamic("limit")
        static final Integer LIMIT = Integer.valueOf(5);
    }

    @Test
    void aFieldTheRewriteLeftFinalIsBoundButItsWriteIsRefusedNotThrown() {
        put(PREFIX + "/limit", "9", 4);

        binder(PREFIX).initialized(LeftFinal.class, fieldsOf(LeftFinal.class));

        assertThat(bound).containsExactly(PREFIX + "/limit");
        assertThat(LeftFinal.LIMIT).isEqualTo(5);
        assertThat(outcomes).containsExactly("rejected " + PREFIX + "/limit @4 by " + LeftFinal.class.getName()
                + ".LIMIT: cannot write the field: IllegalAccessException");
    }

    static class Unannotated {
        @Deprecated
        static int legacy = 1;
        static int plain = 2;
    }

    @Test
    void fieldsWithoutTheAgentsAnnotationsAreLeftAlone() {
        binder(PREFIX).initialized(Unannotated.class, fieldsOf(Unannotated.class));

        assertThat(bound).isEmpty();
        assertThat(outcomes).isEmpty();
    }

    static class Discovered {
        @Discover(" /service/b/ ")
        static List<String> all = List.of();
        @Discover("/service/b")
        static String[] array;
        @Discover("/service/c")
        static String one = "declared:1";
    }

    @Test
    void aDiscoveredServiceIsNormalisedAndEachShapeGetsItsAddresses() {
        services.put("/service/b", new TreeSet<>(List.of("10.0.0.2:80", "10.0.0.1:80")));

        binder(PREFIX).initialized(Discovered.class, fieldsOf(Discovered.class));

        assertThat(bound).containsExactly("/service/b", "/service/b", "/service/c");
        assertThat(Discovered.all).containsExactly("10.0.0.1:80", "10.0.0.2:80");
        assertThat(Discovered.array).containsExactly("10.0.0.1:80", "10.0.0.2:80");
        assertThat(Discovered.one).as("no address: the declared value stays").isEqualTo("declared:1");
    }

    static class DiscoveredWithoutSlash {
        @Discover("service/b")
        static List<String> all = List.of();
    }

    @Test
    void aServiceIdWithoutALeadingSlashIsNotBound() {
        assertNoneBound(DiscoveredWithoutSlash.class, "WARN @Discover field " + DiscoveredWithoutSlash.class.getName()
                + ".all is not bound: service id 'service/b' must start with '/', e.g. /service/b");
    }

    static class DiscoveredAsNumber {
        @Discover("/service/b")
        static int count;
    }

    @Test
    void aDiscoveredFieldOfAnotherTypeIsNotBoundAndTheWarningNamesTheTypesToUse() {
        assertNoneBound(DiscoveredAsNumber.class, "WARN @Discover field " + DiscoveredAsNumber.class.getName()
                + ".count is not bound: @Discover field " + DiscoveredAsNumber.class.getName()
                + ".count has type int: use List<String>, String[] or String");
    }

    static class Followed {
        @Dynamic("mode")
        static String mode = "declared";
    }

    @Test
    void afterTheClassIsBoundOnlyTheApplyLoopWritesAndAChangeDuringBindingIsNotLost() {
        put(PREFIX + "/mode", "first", 10);
        FieldBinder binder = new FieldBinder(PREFIX, null, null, null, recorded, apply) {
            @Override
            Change listen(String key, DynamicField binding) {
                // A change that lands after the range answered, while the class is still initialising.
                binding.changed(new Change(key, "second", 11, false), "first");
                bindings.put(key, binding);
                return entries.get(key);
            }
        };

        binder.initialized(Followed.class, fieldsOf(Followed.class));
        assertThat(Followed.mode).isEqualTo("first");
        apply.runDue();
        assertThat(Followed.mode).isEqualTo("second");

        bindings.get(PREFIX + "/mode").changed(new Change(PREFIX + "/mode", "third", 12, false), "second");
        assertThat(Followed.mode).as("not on the thread that tells of the change").isEqualTo("second");
        apply.runDue();
        assertThat(Followed.mode).isEqualTo("third");
    }

    static class OwnCopy {
        @Dynamic("own")
        static String value = "declared";
    }

    @Test
    void anApplicationsOwnCopyOfTheAnnotationCounts() throws Exception {
        put(PREFIX + "/own", "from-etcd", 5);
        URL tests = OwnCopy.class.getProtectionDomain().getCodeSource().getLocation();
        URL api = Dynamic.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader application = new URLClassLoader(new URL[] {tests, api}, ClassLoader.getPlatformClassLoader())) {
            Class<?> holder = Class.forName(OwnCopy.class.getName(), true, application);
            Field value = holder.getDeclaredField("value");
            assertThat(value.getDeclaredAnnotations()[0].annotationType()).isNotSameAs(Dynamic.class);

            binder(PREFIX).initialized(holder, fieldsOf(OwnCopy.class));

            value.setAccessible(true);
            assertThat(value.get(null)).isEqualTo("from-etcd");
        }
    }

    @Test
    void aLoaderThatCannotSeeTheAnnotationAtAllStillBindsFromTheBytes() throws Exception {
        put(PREFIX + "/own", "from-etcd", 5);
        URL tests = OwnCopy.class.getProtectionDomain().getCodeSource().getLocation();
        // As a JBoss Modules deployment compiled against the annotations jar with scope provided.
        try (URLClassLoader application = new URLClassLoader(new URL[] {tests}, ClassLoader.getPlatformClassLoader())) {
            Class<?> holder = Class.forName(OwnCopy.class.getName(), true, application);
            Field value = holder.getDeclaredField("value");
            assertThat(value.getDeclaredAnnotations()).as("reflection drops what the loader cannot see").isEmpty();

            binder(PREFIX).initialized(holder, fieldsOf(OwnCopy.class));

            value.setAccessible(true);
            assertThat(value.get(null)).isEqualTo("from-etcd");
        }
    }

    /** What the rewritten static initialiser hands the hook: the annotated fields, read from the class's bytes. */
    static String fieldsOf(Class<?> type) {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (java.io.InputStream bytes = type.getResourceAsStream(resource)) {
            return dev.etcdagent.agent.instrument.AnnotatedClassRewriter.fieldsOf(bytes.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
