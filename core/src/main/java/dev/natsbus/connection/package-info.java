/**
 * The pool of jnats connections that requests and listeners are spread over.
 */
@NullMarked
package dev.natsbus.connection;

import org.jspecify.annotations.NullMarked;
