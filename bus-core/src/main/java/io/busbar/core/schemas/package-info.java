/**
 * The EventBridge Schema Registry and schema discovery, embedded.
 *
 * <ul>
 *   <li>{@link io.busbar.core.schemas.SchemaInferrer}: incremental inference of an OpenAPI 3 document from events;</li>
 *   <li>{@link io.busbar.core.schemas.SchemaDocuments}: export to JSON Schema Draft 4, canonical comparison and the
 *       discovered-schema naming rule;</li>
 *   <li>{@link io.busbar.core.schemas.SchemaValidator}: checks an event against a schema document;</li>
 *   <li>{@link io.busbar.core.schemas.SchemaRegistry}: registries, schemas, versions and discoverers, fed by a
 *       {@link io.busbar.core.Busbar} off its ingestion path.</li>
 * </ul>
 *
 * <p>Refused requests throw {@link io.busbar.core.schemas.SchemaException} carrying the Schemas API error name.
 */
package io.busbar.core.schemas;
