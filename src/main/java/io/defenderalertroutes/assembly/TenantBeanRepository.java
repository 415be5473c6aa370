package io.defenderalertroutes.assembly;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.BeanRepository;
import org.apache.camel.support.DefaultRegistry;

/**
 * The tenants' beans (a dozen per tenant), in a repository of their own beside Camel's registry, indexed by class.
 * Camel looks beans up by type while it builds every route (each error handler asks for an
 * {@code ExceptionPolicyStrategy}), and its own registry answers that by testing every bean it holds: with 1,000
 * tenants that was half of the start-up's CPU. Here a lookup by type tests the dozen classes, not the beans.
 */
final class TenantBeanRepository implements BeanRepository {

    private static final String NAME = "defenderTenantBeans";

    private final Map<String, Object> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, Map<String, Object>> byClass = new ConcurrentHashMap<>();

    /** The context's repository, added to its registry on first use; null where the registry takes no repository. */
    static synchronized TenantBeanRepository of(CamelContext context) {
        TenantBeanRepository repository = context.getRegistry().lookupByNameAndType(NAME, TenantBeanRepository.class);
        if (repository == null && context.getRegistry() instanceof DefaultRegistry registry) {
            repository = new TenantBeanRepository();
            registry.addBeanRepository(repository);
            registry.bind(NAME, repository);
        }
        return repository;
    }

    void bind(String name, Object bean) {
        byName.put(name, bean);
        byClass.computeIfAbsent(bean.getClass(), c -> new ConcurrentHashMap<>()).put(name, bean);
    }

    void unbind(String name) {
        Object bean = byName.remove(name);
        if (bean != null) {
            byClass.getOrDefault(bean.getClass(), Map.of()).remove(name);
        }
    }

    @Override
    public Object lookupByName(String name) {
        return byName.get(name);
    }

    @Override
    public <T> T lookupByNameAndType(String name, Class<T> type) {
        Object bean = byName.get(name);
        return type.isInstance(bean) ? type.cast(bean) : null;
    }

    @Override
    public <T> Map<String, T> findByTypeWithName(Class<T> type) {
        Map<String, T> found = new LinkedHashMap<>();
        byClass.forEach((beanClass, beans) -> {
            if (type.isAssignableFrom(beanClass)) {
                beans.forEach((name, bean) -> found.put(name, type.cast(bean)));
            }
        });
        return found;
    }

    @Override
    public <T> Set<T> findByType(Class<T> type) {
        return new LinkedHashSet<>(findByTypeWithName(type).values());
    }
}
