package io.myelin.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit 5 extension behind {@link WithMyelinServer}: one {@link TestServer} per test class, kept in the class's
 * extension store, which closes it (and deletes its data dir) when the class is done. Resolves parameters of type
 * {@link TestServer} and fills fields annotated {@link InjectServer}.
 *
 * <p>Settings come from the nearest {@code @WithMyelinServer} on the class, its superclasses or, for a
 * {@code @Nested} class, its enclosing classes; a nested class reuses the server its enclosing class started.
 * Filling fields is the one place reflection is used, as JUnit's own {@code @TempDir} does.
 */
public final class MyelinServerExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MyelinServerExtension.class);
    private static final String SERVER = "server";

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        TestServer server = server(context);
        for (Field f : injected(context.getRequiredTestClass())) {
            if (Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                f.set(null, server);
            }
        }
    }

    @Override
    public void postProcessTestInstance(Object instance, ExtensionContext context) throws IllegalAccessException {
        TestServer server = null;
        for (Field f : injected(instance.getClass())) {
            if (!Modifier.isStatic(f.getModifiers())) {
                server = server != null ? server : server(context);
                f.setAccessible(true);
                f.set(instance, server);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /**
     * The server of the test class {@code context} belongs to, started on first use. Stored in the class-level
     * context, whose store lookups also see enclosing classes' stores: a nested class finds its outer server.
     */
    private static TestServer server(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        Class<?> testClass = classContext.getRequiredTestClass();
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(SERVER, k -> TestServer.start(settings(testClass)), TestServer.class);
    }

    static Map<String, String> settings(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            WithMyelinServer a = AnnotationSupport.findAnnotation(c, WithMyelinServer.class).orElse(null);
            if (a != null) {
                return parse(a.value(), c);
            }
        }
        return Map.of();
    }

    private static Map<String, String> parse(String[] entries, Class<?> where) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ExtensionConfigurationException("@WithMyelinServer on " + where.getName()
                        + ": \"" + entry + "\" is not key=value");
            }
            settings.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return settings;
    }

    private static List<Field> injected(Class<?> testClass) {
        List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, InjectServer.class, f -> true,
                HierarchyTraversalMode.TOP_DOWN);
        for (Field f : fields) {
            if (f.getType() != TestServer.class || Modifier.isFinal(f.getModifiers())) {
                throw new ExtensionConfigurationException("@InjectServer field " + f + " must be a non-final TestServer");
            }
        }
        return fields;
    }
}
