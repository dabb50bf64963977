/**
 * What agent-rewritten code calls: the static-initialiser hook, the server-socket hook, and the
 * {@code System} property overlay. No dependencies.
 *
 * <p>Built in the agent module and carried inside the agent jar as a nested jar only, which the
 * agent defines in the bootstrap class loader at start. No published jar ever contains this package,
 * so an application cannot package a copy that a child-first class loader would pick instead of the
 * agent's (a WAR's {@code WEB-INF/lib}, Quarkus's {@code lib/main}).
 */
package dev.etcdagent.hooks;
