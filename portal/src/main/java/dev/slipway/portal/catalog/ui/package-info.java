/**
 * The catalog's views. Other features' views link to them and share the service page's tabs.
 */
@org.springframework.modulith.NamedInterface("ui")
package dev.slipway.portal.catalog.ui;
