/**
 * Bus failures as RFC 9457 problem details in Spring MVC and WebFlux applications.
 */
@NullMarked
package dev.natsbus.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
