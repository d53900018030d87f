/**
 * The caller's side: {@link dev.natsbus.template.BusTemplate} and its retrying view; one
 * path prepares, sends and follows each request.
 */
@NullMarked
package dev.natsbus.template;

import org.jspecify.annotations.NullMarked;
