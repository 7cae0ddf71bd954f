package io.tollgate.admin.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Marks a bean that exists only while the admin plane is on
 * ({@code tollgate.admin.enabled}, default true).
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(name = "tollgate.admin.enabled", havingValue = "true", matchIfMissing = true)
public @interface ConsoleEnabled {

}
