""" Contains all the data models used in inputs/outputs """

from .access import Access
from .account_create import AccountCreate
from .account_created import AccountCreated
from .account_deleted import AccountDeleted
from .account_deleted_counts import AccountDeletedCounts
from .account_out import AccountOut
from .account_self_update import AccountSelfUpdate
from .account_update import AccountUpdate
from .admin_account_out import AdminAccountOut
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_out import ApiKeyOut
from .api_key_update import ApiKeyUpdate
from .attempt_out import AttemptOut
from .audio_send import AudioSend
from .audit_actor import AuditActor
from .audit_actor_type import AuditActorType
from .audit_entry_out import AuditEntryOut
from .audit_entry_out_changes import AuditEntryOutChanges
from .audit_resource import AuditResource
from .billing_quota_warning_data import BillingQuotaWarningData
from .billing_quota_warning_data_plan import BillingQuotaWarningDataPlan
from .billing_quota_warning_data_threshold_percent import BillingQuotaWarningDataThresholdPercent
from .billing_quota_warning_event import BillingQuotaWarningEvent
from .billing_subscription import BillingSubscription
from .billing_subscription_data import BillingSubscriptionData
from .billing_subscription_data_plan import BillingSubscriptionDataPlan
from .billing_subscription_data_status import BillingSubscriptionDataStatus
from .billing_subscription_data_subscribed_plan_type_0 import BillingSubscriptionDataSubscribedPlanType0
from .billing_subscription_plan import BillingSubscriptionPlan
from .billing_subscription_status import BillingSubscriptionStatus
from .billing_subscription_subscribed_plan_type_0 import BillingSubscriptionSubscribedPlanType0
from .billing_subscription_updated_event import BillingSubscriptionUpdatedEvent
from .button_parameters import ButtonParameters
from .buttons_interactive import ButtonsInteractive
from .call_received_data import CallReceivedData
from .call_received_event import CallReceivedEvent
from .capability import Capability
from .chat import Chat
from .chat_deleted import ChatDeleted
from .chat_read import ChatRead
from .chat_typing import ChatTyping
from .chat_typing_state import ChatTypingState
from .checkout_create import CheckoutCreate
from .checkout_session import CheckoutSession
from .cloud_config import CloudConfig
from .cloud_config_out import CloudConfigOut
from .contact import Contact
from .contact_about import ContactAbout
from .contact_erasure import ContactErasure
from .contact_erasure_counts import ContactErasureCounts
from .contact_erasure_identifier import ContactErasureIdentifier
from .contact_erasure_request import ContactErasureRequest
from .contact_send import ContactSend
from .cta_url_interactive import CtaUrlInteractive
from .day_messages import DayMessages
from .delivery_out import DeliveryOut
from .delivery_out_status import DeliveryOutStatus
from .delivery_with_attempts import DeliveryWithAttempts
from .delivery_with_attempts_status import DeliveryWithAttemptsStatus
from .document_send import DocumentSend
from .engine_list import EngineList
from .engine_out import EngineOut
from .error_body import ErrorBody
from .error_envelope import ErrorEnvelope
from .event_out import EventOut
from .event_out_data import EventOutData
from .event_session import EventSession
from .event_session_metadata import EventSessionMetadata
from .event_type import EventType
from .export_out import ExportOut
from .export_out_counts import ExportOutCounts
from .export_out_status import ExportOutStatus
from .first_key import FirstKey
from .group import Group
from .group_create import GroupCreate
from .group_invite import GroupInvite
from .group_join_request import GroupJoinRequest
from .group_joined_data import GroupJoinedData
from .group_joined_data_via import GroupJoinedDataVia
from .group_joined_event import GroupJoinedEvent
from .group_left import GroupLeft
from .group_left_data import GroupLeftData
from .group_left_data_reason import GroupLeftDataReason
from .group_left_event import GroupLeftEvent
from .group_participant import GroupParticipant
from .group_participant_role import GroupParticipantRole
from .group_participants_data import GroupParticipantsData
from .group_participants_data_action import GroupParticipantsDataAction
from .group_participants_event import GroupParticipantsEvent
from .group_preview import GroupPreview
from .group_settings import GroupSettings
from .group_settings_update import GroupSettingsUpdate
from .group_update import GroupUpdate
from .group_updated_data import GroupUpdatedData
from .group_updated_data_changes_item import GroupUpdatedDataChangesItem
from .group_updated_event import GroupUpdatedEvent
from .header_parameters import HeaderParameters
from .healthz_response_healthz import HealthzResponseHealthz
from .image_send import ImageSend
from .inbound_accepted import InboundAccepted
from .inbound_media import InboundMedia
from .inbound_media_in import InboundMediaIn
from .inbound_request import InboundRequest
from .interactive_send import InteractiveSend
from .key_mode import KeyMode
from .last_message import LastMessage
from .lid_mapping import LidMapping
from .link_request import LinkRequest
from .list_chat_messages_direction_type_0 import ListChatMessagesDirectionType0
from .list_chat_messages_status_type_0 import ListChatMessagesStatusType0
from .list_events_type_type_0_item import ListEventsTypeType0Item
from .list_interactive import ListInteractive
from .list_messages_direction_type_0 import ListMessagesDirectionType0
from .list_messages_status_type_0 import ListMessagesStatusType0
from .list_response_admin_account_out import ListResponseAdminAccountOut
from .list_response_api_key_out import ListResponseApiKeyOut
from .list_response_audit_entry_out import ListResponseAuditEntryOut
from .list_response_chat import ListResponseChat
from .list_response_contact import ListResponseContact
from .list_response_delivery_out import ListResponseDeliveryOut
from .list_response_event_out import ListResponseEventOut
from .list_response_export_out import ListResponseExportOut
from .list_response_group import ListResponseGroup
from .list_response_media_out import ListResponseMediaOut
from .list_response_message_out import ListResponseMessageOut
from .list_response_plan_out import ListResponsePlanOut
from .list_response_session_out import ListResponseSessionOut
from .list_response_template_out import ListResponseTemplateOut
from .list_response_webhook_out import ListResponseWebhookOut
from .list_row import ListRow
from .list_section import ListSection
from .list_templates_status_type_0 import ListTemplatesStatusType0
from .list_webhook_deliveries_status_type_0 import ListWebhookDeliveriesStatusType0
from .location_send import LocationSend
from .me import Me
from .media_out import MediaOut
from .media_out_source import MediaOutSource
from .media_source import MediaSource
from .message_edit import MessageEdit
from .message_edited_data import MessageEditedData
from .message_edited_event import MessageEditedEvent
from .message_error import MessageError
from .message_out import MessageOut
from .message_out_content import MessageOutContent
from .message_out_direction import MessageOutDirection
from .message_out_status import MessageOutStatus
from .message_reaction_data import MessageReactionData
from .message_reaction_event import MessageReactionEvent
from .message_received_data import MessageReceivedData
from .message_received_event import MessageReceivedEvent
from .message_revoked_data import MessageRevokedData
from .message_revoked_event import MessageRevokedEvent
from .message_status_data import MessageStatusData
from .message_status_data_previous_status import MessageStatusDataPreviousStatus
from .message_status_event import MessageStatusEvent
from .metered import Metered
from .notification_received import NotificationReceived
from .number_check import NumberCheck
from .number_check_error import NumberCheckError
from .number_check_list import NumberCheckList
from .number_check_request import NumberCheckRequest
from .pacing_config import PacingConfig
from .pairing_code import PairingCode
from .pairing_code_request import PairingCodeRequest
from .participant_result import ParticipantResult
from .participant_result_status import ParticipantResultStatus
from .participants_request import ParticipantsRequest
from .participants_update import ParticipantsUpdate
from .participants_update_action import ParticipantsUpdateAction
from .period_messages import PeriodMessages
from .period_messages_by_status import PeriodMessagesByStatus
from .period_usage import PeriodUsage
from .picture_source import PictureSource
from .placeholder_spec import PlaceholderSpec
from .plan_create import PlanCreate
from .plan_deleted import PlanDeleted
from .plan_out import PlanOut
from .plan_ref import PlanRef
from .plan_update import PlanUpdate
from .poll_send import PollSend
from .portal_create import PortalCreate
from .portal_session import PortalSession
from .presence_request import PresenceRequest
from .presence_request_presence import PresenceRequestPresence
from .presence_update_data import PresenceUpdateData
from .presence_update_data_presence import PresenceUpdateDataPresence
from .presence_update_event import PresenceUpdateEvent
from .profile_picture import ProfilePicture
from .reaction_send import ReactionSend
from .received_message import ReceivedMessage
from .received_message_contacts_type_0_item import ReceivedMessageContactsType0Item
from .received_message_interactive_type_0 import ReceivedMessageInteractiveType0
from .received_message_location_type_0 import ReceivedMessageLocationType0
from .received_message_raw_type_0 import ReceivedMessageRawType0
from .received_message_reaction_type_0 import ReceivedMessageReactionType0
from .recover_request import RecoverRequest
from .recovered import Recovered
from .reply_button import ReplyButton
from .retention import Retention
from .retention_update import RetentionUpdate
from .retrieve_session_qr_format import RetrieveSessionQrFormat
from .rotate_secret import RotateSecret
from .sandbox_config import SandboxConfig
from .sandbox_device_out import SandboxDeviceOut
from .scopes import Scopes
from .scopes_in import ScopesIn
from .session_config import SessionConfig
from .session_config_out import SessionConfigOut
from .session_create import SessionCreate
from .session_create_metadata import SessionCreateMetadata
from .session_deleted import SessionDeleted
from .session_messages import SessionMessages
from .session_out import SessionOut
from .session_out_desired_state import SessionOutDesiredState
from .session_out_metadata import SessionOutMetadata
from .session_qr_data import SessionQrData
from .session_qr_event import SessionQrEvent
from .session_status import SessionStatus
from .session_status_data import SessionStatusData
from .session_status_event import SessionStatusEvent
from .session_update import SessionUpdate
from .session_update_metadata_type_0 import SessionUpdateMetadataType0
from .status_change import StatusChange
from .sticker_send import StickerSend
from .stripe_event_received import StripeEventReceived
from .template_button_in import TemplateButtonIn
from .template_component import TemplateComponent
from .template_component_in import TemplateComponentIn
from .template_component_in_example_type_0 import TemplateComponentInExampleType0
from .template_component_sub_type_type_0 import TemplateComponentSubTypeType0
from .template_component_type import TemplateComponentType
from .template_create import TemplateCreate
from .template_create_category import TemplateCreateCategory
from .template_create_parameter_format_type_0 import TemplateCreateParameterFormatType0
from .template_deleted import TemplateDeleted
from .template_message import TemplateMessage
from .template_out import TemplateOut
from .template_out_components_item import TemplateOutComponentsItem
from .template_parameter import TemplateParameter
from .template_parameter_action_type_0 import TemplateParameterActionType0
from .template_parameter_currency_type_0 import TemplateParameterCurrencyType0
from .template_parameter_date_time_type_0 import TemplateParameterDateTimeType0
from .template_parameter_document_type_0 import TemplateParameterDocumentType0
from .template_parameter_image_type_0 import TemplateParameterImageType0
from .template_parameter_location_type_0 import TemplateParameterLocationType0
from .template_parameter_type import TemplateParameterType
from .template_parameter_video_type_0 import TemplateParameterVideoType0
from .template_parameters import TemplateParameters
from .template_parameters_format import TemplateParametersFormat
from .template_send import TemplateSend
from .template_status_data import TemplateStatusData
from .template_status_event import TemplateStatusEvent
from .text_send import TextSend
from .typing_request import TypingRequest
from .typing_request_state import TypingRequestState
from .update_group_participants_action import UpdateGroupParticipantsAction
from .upload_media_body import UploadMediaBody
from .usage import Usage
from .video_send import VideoSend
from .watchdog_config import WatchdogConfig
from .web_config import WebConfig
from .webhook_create import WebhookCreate
from .webhook_create_headers import WebhookCreateHeaders
from .webhook_deleted import WebhookDeleted
from .webhook_out import WebhookOut
from .webhook_out_headers import WebhookOutHeaders
from .webhook_test_data import WebhookTestData
from .webhook_test_event import WebhookTestEvent
from .webhook_update import WebhookUpdate
from .webhook_update_headers_type_0 import WebhookUpdateHeadersType0
from .webhook_with_secret import WebhookWithSecret
from .webhook_with_secret_headers import WebhookWithSecretHeaders

__all__ = (
    "Access",
    "AccountCreate",
    "AccountCreated",
    "AccountDeleted",
    "AccountDeletedCounts",
    "AccountOut",
    "AccountSelfUpdate",
    "AccountUpdate",
    "AdminAccountOut",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyOut",
    "ApiKeyUpdate",
    "AttemptOut",
    "AudioSend",
    "AuditActor",
    "AuditActorType",
    "AuditEntryOut",
    "AuditEntryOutChanges",
    "AuditResource",
    "BillingQuotaWarningData",
    "BillingQuotaWarningDataPlan",
    "BillingQuotaWarningDataThresholdPercent",
    "BillingQuotaWarningEvent",
    "BillingSubscription",
    "BillingSubscriptionData",
    "BillingSubscriptionDataPlan",
    "BillingSubscriptionDataStatus",
    "BillingSubscriptionDataSubscribedPlanType0",
    "BillingSubscriptionPlan",
    "BillingSubscriptionStatus",
    "BillingSubscriptionSubscribedPlanType0",
    "BillingSubscriptionUpdatedEvent",
    "ButtonParameters",
    "ButtonsInteractive",
    "CallReceivedData",
    "CallReceivedEvent",
    "Capability",
    "Chat",
    "ChatDeleted",
    "ChatRead",
    "ChatTyping",
    "ChatTypingState",
    "CheckoutCreate",
    "CheckoutSession",
    "CloudConfig",
    "CloudConfigOut",
    "Contact",
    "ContactAbout",
    "ContactErasure",
    "ContactErasureCounts",
    "ContactErasureIdentifier",
    "ContactErasureRequest",
    "ContactSend",
    "CtaUrlInteractive",
    "DayMessages",
    "DeliveryOut",
    "DeliveryOutStatus",
    "DeliveryWithAttempts",
    "DeliveryWithAttemptsStatus",
    "DocumentSend",
    "EngineList",
    "EngineOut",
    "ErrorBody",
    "ErrorEnvelope",
    "EventOut",
    "EventOutData",
    "EventSession",
    "EventSessionMetadata",
    "EventType",
    "ExportOut",
    "ExportOutCounts",
    "ExportOutStatus",
    "FirstKey",
    "Group",
    "GroupCreate",
    "GroupInvite",
    "GroupJoinedData",
    "GroupJoinedDataVia",
    "GroupJoinedEvent",
    "GroupJoinRequest",
    "GroupLeft",
    "GroupLeftData",
    "GroupLeftDataReason",
    "GroupLeftEvent",
    "GroupParticipant",
    "GroupParticipantRole",
    "GroupParticipantsData",
    "GroupParticipantsDataAction",
    "GroupParticipantsEvent",
    "GroupPreview",
    "GroupSettings",
    "GroupSettingsUpdate",
    "GroupUpdate",
    "GroupUpdatedData",
    "GroupUpdatedDataChangesItem",
    "GroupUpdatedEvent",
    "HeaderParameters",
    "HealthzResponseHealthz",
    "ImageSend",
    "InboundAccepted",
    "InboundMedia",
    "InboundMediaIn",
    "InboundRequest",
    "InteractiveSend",
    "KeyMode",
    "LastMessage",
    "LidMapping",
    "LinkRequest",
    "ListChatMessagesDirectionType0",
    "ListChatMessagesStatusType0",
    "ListEventsTypeType0Item",
    "ListInteractive",
    "ListMessagesDirectionType0",
    "ListMessagesStatusType0",
    "ListResponseAdminAccountOut",
    "ListResponseApiKeyOut",
    "ListResponseAuditEntryOut",
    "ListResponseChat",
    "ListResponseContact",
    "ListResponseDeliveryOut",
    "ListResponseEventOut",
    "ListResponseExportOut",
    "ListResponseGroup",
    "ListResponseMediaOut",
    "ListResponseMessageOut",
    "ListResponsePlanOut",
    "ListResponseSessionOut",
    "ListResponseTemplateOut",
    "ListResponseWebhookOut",
    "ListRow",
    "ListSection",
    "ListTemplatesStatusType0",
    "ListWebhookDeliveriesStatusType0",
    "LocationSend",
    "Me",
    "MediaOut",
    "MediaOutSource",
    "MediaSource",
    "MessageEdit",
    "MessageEditedData",
    "MessageEditedEvent",
    "MessageError",
    "MessageOut",
    "MessageOutContent",
    "MessageOutDirection",
    "MessageOutStatus",
    "MessageReactionData",
    "MessageReactionEvent",
    "MessageReceivedData",
    "MessageReceivedEvent",
    "MessageRevokedData",
    "MessageRevokedEvent",
    "MessageStatusData",
    "MessageStatusDataPreviousStatus",
    "MessageStatusEvent",
    "Metered",
    "NotificationReceived",
    "NumberCheck",
    "NumberCheckError",
    "NumberCheckList",
    "NumberCheckRequest",
    "PacingConfig",
    "PairingCode",
    "PairingCodeRequest",
    "ParticipantResult",
    "ParticipantResultStatus",
    "ParticipantsRequest",
    "ParticipantsUpdate",
    "ParticipantsUpdateAction",
    "PeriodMessages",
    "PeriodMessagesByStatus",
    "PeriodUsage",
    "PictureSource",
    "PlaceholderSpec",
    "PlanCreate",
    "PlanDeleted",
    "PlanOut",
    "PlanRef",
    "PlanUpdate",
    "PollSend",
    "PortalCreate",
    "PortalSession",
    "PresenceRequest",
    "PresenceRequestPresence",
    "PresenceUpdateData",
    "PresenceUpdateDataPresence",
    "PresenceUpdateEvent",
    "ProfilePicture",
    "ReactionSend",
    "ReceivedMessage",
    "ReceivedMessageContactsType0Item",
    "ReceivedMessageInteractiveType0",
    "ReceivedMessageLocationType0",
    "ReceivedMessageRawType0",
    "ReceivedMessageReactionType0",
    "Recovered",
    "RecoverRequest",
    "ReplyButton",
    "Retention",
    "RetentionUpdate",
    "RetrieveSessionQrFormat",
    "RotateSecret",
    "SandboxConfig",
    "SandboxDeviceOut",
    "Scopes",
    "ScopesIn",
    "SessionConfig",
    "SessionConfigOut",
    "SessionCreate",
    "SessionCreateMetadata",
    "SessionDeleted",
    "SessionMessages",
    "SessionOut",
    "SessionOutDesiredState",
    "SessionOutMetadata",
    "SessionQrData",
    "SessionQrEvent",
    "SessionStatus",
    "SessionStatusData",
    "SessionStatusEvent",
    "SessionUpdate",
    "SessionUpdateMetadataType0",
    "StatusChange",
    "StickerSend",
    "StripeEventReceived",
    "TemplateButtonIn",
    "TemplateComponent",
    "TemplateComponentIn",
    "TemplateComponentInExampleType0",
    "TemplateComponentSubTypeType0",
    "TemplateComponentType",
    "TemplateCreate",
    "TemplateCreateCategory",
    "TemplateCreateParameterFormatType0",
    "TemplateDeleted",
    "TemplateMessage",
    "TemplateOut",
    "TemplateOutComponentsItem",
    "TemplateParameter",
    "TemplateParameterActionType0",
    "TemplateParameterCurrencyType0",
    "TemplateParameterDateTimeType0",
    "TemplateParameterDocumentType0",
    "TemplateParameterImageType0",
    "TemplateParameterLocationType0",
    "TemplateParameters",
    "TemplateParametersFormat",
    "TemplateParameterType",
    "TemplateParameterVideoType0",
    "TemplateSend",
    "TemplateStatusData",
    "TemplateStatusEvent",
    "TextSend",
    "TypingRequest",
    "TypingRequestState",
    "UpdateGroupParticipantsAction",
    "UploadMediaBody",
    "Usage",
    "VideoSend",
    "WatchdogConfig",
    "WebConfig",
    "WebhookCreate",
    "WebhookCreateHeaders",
    "WebhookDeleted",
    "WebhookOut",
    "WebhookOutHeaders",
    "WebhookTestData",
    "WebhookTestEvent",
    "WebhookUpdate",
    "WebhookUpdateHeadersType0",
    "WebhookWithSecret",
    "WebhookWithSecretHeaders",
)
