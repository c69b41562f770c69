//! The rules, one per file, and the registry.

mod activities_without_connection;
mod activity_id_not_guid;
mod change_data_settings_in_batch;
mod connection_id_not_guid;
mod connection_without_settings;
mod connector_role_unsupported;
mod dataset_type_mismatch;
mod display_name_mismatch;
mod docs_placeholder_platform;
mod duplicate_activity_id;
mod duplicate_destination_column;
mod duplicate_destination_table;
mod empty_table_name;
mod full_load_behavior_in_batch;
mod incremental_unsupported;
mod item_id_not_guid;
mod location_type_mismatch;
mod mappings_without_tabular_translator;
mod merge_without_keys;
mod misplaced_job_property;
mod missing_platform_file;
mod misspelled_property;
mod overwrite_in_cdc;
mod platform_config_version;
mod platform_description_length;
mod platform_display_name;
mod platform_logical_id;
mod platform_schema_url;
mod platform_sensitivity_label_id;
mod platform_type;
mod schema_qualified_table;
mod template_placeholder;
mod timeout_out_of_range;
mod uncatalogued_connector_type;
mod undocumented_property;
mod unknown_connector_type;
mod upsert_keys_ignored;
mod upsert_keys_not_mapped;
mod upsert_without_keys;
mod write_behavior_unsupported;
mod zero_guid_reference;

pub use activities_without_connection::ActivitiesWithoutConnection;
pub use activity_id_not_guid::ActivityIdNotGuid;
pub use change_data_settings_in_batch::ChangeDataSettingsInBatch;
pub use connection_id_not_guid::ConnectionIdNotGuid;
pub use connection_without_settings::ConnectionWithoutSettings;
pub use connector_role_unsupported::ConnectorRoleUnsupported;
pub use dataset_type_mismatch::DatasetTypeMismatch;
pub use display_name_mismatch::DisplayNameMismatch;
pub use docs_placeholder_platform::{DocsPlaceholderPlatform, DOCS_PLATFORM_PLACEHOLDER};
pub use duplicate_activity_id::DuplicateActivityId;
pub use duplicate_destination_column::DuplicateDestinationColumn;
pub use duplicate_destination_table::DuplicateDestinationTable;
pub use empty_table_name::EmptyTableName;
pub use full_load_behavior_in_batch::FullLoadBehaviorInBatch;
pub use incremental_unsupported::IncrementalUnsupported;
pub use item_id_not_guid::ItemIdNotGuid;
pub use location_type_mismatch::LocationTypeMismatch;
pub use mappings_without_tabular_translator::MappingsWithoutTabularTranslator;
pub use merge_without_keys::MergeWithoutKeys;
pub use misplaced_job_property::MisplacedJobProperty;
pub use missing_platform_file::MissingPlatformFile;
pub use misspelled_property::MisspelledProperty;
pub use overwrite_in_cdc::OverwriteInCdc;
pub use platform_config_version::PlatformConfigVersion;
pub use platform_description_length::PlatformDescriptionLength;
pub use platform_display_name::PlatformDisplayName;
pub use platform_logical_id::PlatformLogicalId;
pub use platform_schema_url::PlatformSchemaUrl;
pub use platform_sensitivity_label_id::PlatformSensitivityLabelId;
pub use platform_type::PlatformType;
pub use schema_qualified_table::SchemaQualifiedTable;
pub use template_placeholder::TemplatePlaceholder;
pub use timeout_out_of_range::TimeoutOutOfRange;
pub use uncatalogued_connector_type::UncataloguedConnectorType;
pub use undocumented_property::UndocumentedProperty;
pub use unknown_connector_type::UnknownConnectorType;
pub use upsert_keys_ignored::UpsertKeysIgnored;
pub use upsert_keys_not_mapped::UpsertKeysNotMapped;
pub use upsert_without_keys::UpsertWithoutKeys;
pub use write_behavior_unsupported::WriteBehaviorUnsupported;
pub use zero_guid_reference::ZeroGuidReference;

use super::Rule;

/// Codes of rules that were removed. A published code is never given to another rule: add a
/// removed rule's code here.
pub const RETIRED_CODES: &[&str] = &[];

/// Every rule, grouped by the part it checks. A code, once published, is never reused.
pub static RULES: &[&dyn Rule] = &[
    // copyjob-content.json
    &MisspelledProperty,
    &UndocumentedProperty,
    &MisplacedJobProperty,
    &DuplicateActivityId,
    &ActivityIdNotGuid,
    &DuplicateDestinationTable,
    &EmptyTableName,
    &UpsertWithoutKeys,
    &MergeWithoutKeys,
    &UpsertKeysNotMapped,
    &UpsertKeysIgnored,
    &DuplicateDestinationColumn,
    &MappingsWithoutTabularTranslator,
    &TimeoutOutOfRange,
    &ChangeDataSettingsInBatch,
    &FullLoadBehaviorInBatch,
    &OverwriteInCdc,
    &ActivitiesWithoutConnection,
    &ConnectionWithoutSettings,
    &ConnectionIdNotGuid,
    &ItemIdNotGuid,
    &ZeroGuidReference,
    &TemplatePlaceholder,
    &UnknownConnectorType,
    &UncataloguedConnectorType,
    &DatasetTypeMismatch,
    &LocationTypeMismatch,
    &ConnectorRoleUnsupported,
    &IncrementalUnsupported,
    &WriteBehaviorUnsupported,
    &SchemaQualifiedTable,
    // .platform
    &PlatformType,
    &PlatformLogicalId,
    &PlatformSchemaUrl,
    &PlatformConfigVersion,
    &PlatformDisplayName,
    &PlatformDescriptionLength,
    &PlatformSensitivityLabelId,
    &DocsPlaceholderPlatform,
    &MissingPlatformFile,
    // the request body
    &DisplayNameMismatch,
];
