/**
 * Connection changes as Spring application events.
 */
@NullMarked
package dev.natsbus.autoconfigure.events;

import org.jspecify.annotations.NullMarked;
