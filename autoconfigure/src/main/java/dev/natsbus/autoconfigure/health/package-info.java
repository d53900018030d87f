/**
 * The natsbus health contributor.
 */
@NullMarked
package dev.natsbus.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
