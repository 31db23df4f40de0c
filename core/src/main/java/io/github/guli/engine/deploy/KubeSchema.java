package io.github.guli.engine.deploy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kubernetes schema as the fabric8 model classes carry it: every kind the client knows, with its apiVersions,
 * and for each model class its fields (their Jackson property names) and types, recursively. Nothing here is a hand
 * list of fields, so a manifest is checked against the same API the client speaks.
 */
public final class KubeSchema {
    /** What a field holds. */
    public sealed interface Type permits Obj, ListOf, MapOf, Scalar {
        String describe();
    }

    public enum ScalarKind {
        STRING,
        INTEGER,
        NUMBER,
        BOOLEAN,
        INT_OR_STRING,
        QUANTITY,
        ANY
    }

    public record Scalar(ScalarKind kind) implements Type {
        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case NUMBER -> "a number";
                case BOOLEAN -> "true or false";
                case INT_OR_STRING -> "a number or a string";
                case QUANTITY -> "a quantity such as 500Mi or 250m";
                case ANY -> "anything";
            };
        }
    }

    public record ListOf(Type element) implements Type {
        @Override
        public String describe() {
            return "a list (each item starting with '- ')";
        }
    }

    public record MapOf(Type value) implements Type {
        @Override
        public String describe() {
            return "a map of names to values";
        }
    }

    /** An object of a model class; its fields are read from the class on first use (the schema is cyclic). */
    public static final class Obj implements Type {
        private final Class<?> model;
        private volatile Map<String, Type> fields;

        Obj(Class<?> model) {
            this.model = model;
        }

        public String name() {
            return model.getSimpleName();
        }

        public Class<?> model() {
            return model;
        }

        public Map<String, Type> fields() {
            Map<String, Type> f = fields;
            if (f == null) {
                f = INSTANCE.introspect(model);
                fields = f;
            }
            return f;
        }

        @Override
        public String describe() {
            return "a map of fields (" + name() + ")";
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** One kind at one apiVersion, e.g. Deployment at apps/v1. */
    public record KindVersion(String kind, String apiVersion, Obj type) {}

    private static final Scalar ANY = new Scalar(ScalarKind.ANY);
    static final KubeSchema INSTANCE = new KubeSchema();

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Class<?>, Obj> objects = new ConcurrentHashMap<>();
    private volatile Map<String, List<KindVersion>> kinds;

    private KubeSchema() {}

    public static KubeSchema get() {
        return INSTANCE;
    }

    /** Every kind the model classes register (META-INF/services), with all its apiVersions. */
    public Map<String, List<KindVersion>> kinds() {
        Map<String, List<KindVersion>> k = kinds;
        if (k == null) {
            Map<String, List<KindVersion>> found = new TreeMap<>();
            // the model's class loader, not the thread's: in Jenkins they differ
            ServiceLoader<KubernetesResource> loader =
                    ServiceLoader.load(KubernetesResource.class, KubernetesResource.class.getClassLoader());
            loader.stream()
                    .map(ServiceLoader.Provider::type)
                    .filter(HasMetadata.class::isAssignableFrom)
                    .forEach(t -> {
                        @SuppressWarnings("unchecked")
                        Class<? extends HasMetadata> h = (Class<? extends HasMetadata>) t;
                        String kind = HasMetadata.getKind(h);
                        String apiVersion = HasMetadata.getApiVersion(h);
                        if (kind != null && apiVersion != null) {
                            found.computeIfAbsent(kind, x -> new ArrayList<>())
                                    .add(new KindVersion(kind, apiVersion, object(t)));
                        }
                    });
            found.values().forEach(l -> l.sort((a, b) -> a.apiVersion().compareTo(b.apiVersion())));
            k = Collections.unmodifiableMap(found);
            kinds = k;
        }
        return k;
    }

    Obj object(Class<?> model) {
        return objects.computeIfAbsent(model, Obj::new);
    }

    private Map<String, Type> introspect(Class<?> model) {
        JavaType type = mapper.constructType(model);
        BeanDescription d = mapper.getDeserializationConfig().introspect(type);
        Map<String, Type> out = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : d.findProperties()) {
            if (p.hasSetter() || p.hasField() || p.hasConstructorParameter()) {
                out.put(p.getName(), typeOf(p.getPrimaryType()));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    Type typeOf(JavaType t) {
        Class<?> c = t.getRawClass();
        if (t.isCollectionLikeType() || t.isArrayType() && c != byte[].class) {
            return new ListOf(typeOf(t.getContentType()));
        }
        if (t.isMapLikeType()) {
            return new MapOf(typeOf(t.getContentType()));
        }
        if (c == String.class || c == byte[].class || c.isEnum() || CharSequence.class.isAssignableFrom(c)) {
            return new Scalar(ScalarKind.STRING);
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class || c == Short.class) {
            return new Scalar(ScalarKind.INTEGER);
        }
        if (c == Double.class
                || c == double.class
                || c == Float.class
                || c == float.class
                || Number.class.isAssignableFrom(c)) {
            return new Scalar(ScalarKind.NUMBER);
        }
        if (c == Boolean.class || c == boolean.class) {
            return new Scalar(ScalarKind.BOOLEAN);
        }
        if (c == IntOrString.class) {
            return new Scalar(ScalarKind.INT_OR_STRING);
        }
        if (c == Quantity.class) {
            return new Scalar(ScalarKind.QUANTITY);
        }
        if (c == Object.class
                || JsonNode.class.isAssignableFrom(c)
                || c.isInterface()
                || c.isPrimitive()
                || c.isAnnotationPresent(JsonSubTypes.class)
                || hasCustomDeserializer(c)
                || !c.getName().startsWith("io.fabric8.")) {
            return ANY; // free-form (RawExtension, JSON schemas, polymorphic): nothing to check field by field
        }
        return object(c);
    }

    private static boolean hasCustomDeserializer(Class<?> c) {
        JsonDeserialize d = c.getAnnotation(JsonDeserialize.class);
        return d != null && d.using() != com.fasterxml.jackson.databind.JsonDeserializer.None.class;
    }
}
