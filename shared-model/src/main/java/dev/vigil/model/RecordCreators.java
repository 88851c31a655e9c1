package dev.vigil.model;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedConstructor;
import tools.jackson.databind.module.SimpleModule;

/**
 * A Jackson module that calls the constructor of a type created from its properties (every record of Vigil's
 * topics and state stores) through a method handle adapted once to {@code Object[]}, instead of Jackson's
 * {@code MethodHandle.invokeWithArguments} per call, which adapts the handle to the arguments anew each time (Jackson
 * 3.1, {@code AnnotatedConstructor.call(Object[])}): with a job state's hundred nested records, that was a fourteenth of
 * the rules' stream thread.
 *
 * <p>Nothing else changes: which constructor, which arguments, the defaults of missing ones are Jackson's. When the
 * constructor throws (a record refusing a value), Jackson's own instantiator is asked again, so the error is the one
 * Jackson reports. A constructor this module cannot reach keeps Jackson's instantiator.
 */
public final class RecordCreators extends SimpleModule {

    public RecordCreators() {
        super("vigil-record-creators");
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addValueInstantiators(new ValueInstantiators.Base() {
            @Override
            public ValueInstantiator modifyValueInstantiator(DeserializationConfig config,
                                                             BeanDescription.Supplier description,
                                                             ValueInstantiator instantiator) {
                return spread(instantiator);
            }
        });
    }

    /** {@code instantiator} calling its properties' constructor through a spread handle, or itself as it is. */
    static ValueInstantiator spread(ValueInstantiator instantiator) {
        if (instantiator.getClass() != StdValueInstantiator.class
                || !(instantiator.getWithArgsCreator() instanceof AnnotatedConstructor creator)
                || creator.getParameterCount() == 0) {
            return instantiator;
        }
        Constructor<?> constructor = creator.getAnnotated();
        try {
            MethodHandle handle = MethodHandles.lookup().unreflectConstructor(constructor)
                    .asSpreader(Object[].class, constructor.getParameterCount())
                    .asType(MethodType.methodType(Object.class, Object[].class));
            return new Spread((StdValueInstantiator) instantiator, handle, constructor.getParameterCount());
        } catch (IllegalAccessException | RuntimeException e) {
            return instantiator; // not public and not made accessible: Jackson's own way
        }
    }

    /** Jackson's instantiator, its constructor called through {@link #handle}. */
    static final class Spread extends StdValueInstantiator {

        private final MethodHandle handle;
        private final int arity;

        Spread(StdValueInstantiator jackson, MethodHandle handle, int arity) {
            super(jackson);
            this.handle = handle;
            this.arity = arity;
        }

        @Override
        public Object createFromObjectWith(DeserializationContext context, Object[] arguments) throws JacksonException {
            if (arguments != null && arguments.length == arity) {
                try {
                    return (Object) handle.invokeExact(arguments);
                } catch (Throwable refused) {
                    // the constructor refused the values: Jackson's own call reports it as it always has
                }
            }
            return super.createFromObjectWith(context, arguments);
        }
    }
}
