from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.template_parameter_type import TemplateParameterType
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.template_parameter_action_type_0 import TemplateParameterActionType0
  from ..models.template_parameter_currency_type_0 import TemplateParameterCurrencyType0
  from ..models.template_parameter_date_time_type_0 import TemplateParameterDateTimeType0
  from ..models.template_parameter_document_type_0 import TemplateParameterDocumentType0
  from ..models.template_parameter_image_type_0 import TemplateParameterImageType0
  from ..models.template_parameter_location_type_0 import TemplateParameterLocationType0
  from ..models.template_parameter_video_type_0 import TemplateParameterVideoType0





T = TypeVar("T", bound="TemplateParameter")



@_attrs_define
class TemplateParameter:
    """ One value for a placeholder, as Meta's template parameter object: ``text`` for a
    text placeholder (``parameter_name`` for named ones), ``image``/``video``/``document``
    (``{"link": …}`` or ``{"id": …}``) for a media header, ``payload`` for a quick-reply
    button, ``currency``/``date_time`` as Meta defines them.

        Attributes:
            type_ (TemplateParameterType):
            parameter_name (None | str | Unset):
            text (None | str | Unset):
            payload (None | str | Unset):
            coupon_code (None | str | Unset):
            currency (None | TemplateParameterCurrencyType0 | Unset):
            date_time (None | TemplateParameterDateTimeType0 | Unset):
            image (None | TemplateParameterImageType0 | Unset):
            video (None | TemplateParameterVideoType0 | Unset):
            document (None | TemplateParameterDocumentType0 | Unset):
            location (None | TemplateParameterLocationType0 | Unset):
            action (None | TemplateParameterActionType0 | Unset):
     """

    type_: TemplateParameterType
    parameter_name: None | str | Unset = UNSET
    text: None | str | Unset = UNSET
    payload: None | str | Unset = UNSET
    coupon_code: None | str | Unset = UNSET
    currency: None | TemplateParameterCurrencyType0 | Unset = UNSET
    date_time: None | TemplateParameterDateTimeType0 | Unset = UNSET
    image: None | TemplateParameterImageType0 | Unset = UNSET
    video: None | TemplateParameterVideoType0 | Unset = UNSET
    document: None | TemplateParameterDocumentType0 | Unset = UNSET
    location: None | TemplateParameterLocationType0 | Unset = UNSET
    action: None | TemplateParameterActionType0 | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_parameter_action_type_0 import TemplateParameterActionType0 # noqa: PLC0415
        from ..models.template_parameter_currency_type_0 import TemplateParameterCurrencyType0 # noqa: PLC0415
        from ..models.template_parameter_date_time_type_0 import TemplateParameterDateTimeType0 # noqa: PLC0415
        from ..models.template_parameter_document_type_0 import TemplateParameterDocumentType0 # noqa: PLC0415
        from ..models.template_parameter_image_type_0 import TemplateParameterImageType0 # noqa: PLC0415
        from ..models.template_parameter_location_type_0 import TemplateParameterLocationType0 # noqa: PLC0415
        from ..models.template_parameter_video_type_0 import TemplateParameterVideoType0 # noqa: PLC0415
        type_ = self.type_.value

        parameter_name: None | str | Unset
        if isinstance(self.parameter_name, Unset):
            parameter_name = UNSET
        else:
            parameter_name = self.parameter_name

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        payload: None | str | Unset
        if isinstance(self.payload, Unset):
            payload = UNSET
        else:
            payload = self.payload

        coupon_code: None | str | Unset
        if isinstance(self.coupon_code, Unset):
            coupon_code = UNSET
        else:
            coupon_code = self.coupon_code

        currency: dict[str, Any] | None | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        elif isinstance(self.currency, TemplateParameterCurrencyType0):
            currency = self.currency.to_dict()
        else:
            currency = self.currency

        date_time: dict[str, Any] | None | Unset
        if isinstance(self.date_time, Unset):
            date_time = UNSET
        elif isinstance(self.date_time, TemplateParameterDateTimeType0):
            date_time = self.date_time.to_dict()
        else:
            date_time = self.date_time

        image: dict[str, Any] | None | Unset
        if isinstance(self.image, Unset):
            image = UNSET
        elif isinstance(self.image, TemplateParameterImageType0):
            image = self.image.to_dict()
        else:
            image = self.image

        video: dict[str, Any] | None | Unset
        if isinstance(self.video, Unset):
            video = UNSET
        elif isinstance(self.video, TemplateParameterVideoType0):
            video = self.video.to_dict()
        else:
            video = self.video

        document: dict[str, Any] | None | Unset
        if isinstance(self.document, Unset):
            document = UNSET
        elif isinstance(self.document, TemplateParameterDocumentType0):
            document = self.document.to_dict()
        else:
            document = self.document

        location: dict[str, Any] | None | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        elif isinstance(self.location, TemplateParameterLocationType0):
            location = self.location.to_dict()
        else:
            location = self.location

        action: dict[str, Any] | None | Unset
        if isinstance(self.action, Unset):
            action = UNSET
        elif isinstance(self.action, TemplateParameterActionType0):
            action = self.action.to_dict()
        else:
            action = self.action


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "type": type_,
        })
        if parameter_name is not UNSET:
            field_dict["parameter_name"] = parameter_name
        if text is not UNSET:
            field_dict["text"] = text
        if payload is not UNSET:
            field_dict["payload"] = payload
        if coupon_code is not UNSET:
            field_dict["coupon_code"] = coupon_code
        if currency is not UNSET:
            field_dict["currency"] = currency
        if date_time is not UNSET:
            field_dict["date_time"] = date_time
        if image is not UNSET:
            field_dict["image"] = image
        if video is not UNSET:
            field_dict["video"] = video
        if document is not UNSET:
            field_dict["document"] = document
        if location is not UNSET:
            field_dict["location"] = location
        if action is not UNSET:
            field_dict["action"] = action

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_parameter_action_type_0 import TemplateParameterActionType0 # noqa: PLC0415
        from ..models.template_parameter_currency_type_0 import TemplateParameterCurrencyType0 # noqa: PLC0415
        from ..models.template_parameter_date_time_type_0 import TemplateParameterDateTimeType0 # noqa: PLC0415
        from ..models.template_parameter_document_type_0 import TemplateParameterDocumentType0 # noqa: PLC0415
        from ..models.template_parameter_image_type_0 import TemplateParameterImageType0 # noqa: PLC0415
        from ..models.template_parameter_location_type_0 import TemplateParameterLocationType0 # noqa: PLC0415
        from ..models.template_parameter_video_type_0 import TemplateParameterVideoType0 # noqa: PLC0415
        d = dict(src_dict)
        type_ = TemplateParameterType(d.pop("type"))




        def _parse_parameter_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parameter_name = _parse_parameter_name(d.pop("parameter_name", UNSET))


        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))


        def _parse_payload(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payload = _parse_payload(d.pop("payload", UNSET))


        def _parse_coupon_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        coupon_code = _parse_coupon_code(d.pop("coupon_code", UNSET))


        def _parse_currency(data: object) -> None | TemplateParameterCurrencyType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                currency_type_0 = TemplateParameterCurrencyType0.from_dict(data)



                return currency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateParameterCurrencyType0 | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))


        def _parse_date_time(data: object) -> None | TemplateParameterDateTimeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                date_time_type_0 = TemplateParameterDateTimeType0.from_dict(data)



                return date_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateParameterDateTimeType0 | Unset, data)

        date_time = _parse_date_time(d.pop("date_time", UNSET))


        def _parse_image(data: object) -> None | TemplateParameterImageType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                image_type_0 = TemplateParameterImageType0.from_dict(data)



                return image_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateParameterImageType0 | Unset, data)

        image = _parse_image(d.pop("image", UNSET))


        def _parse_video(data: object) -> None | TemplateParameterVideoType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                video_type_0 = TemplateParameterVideoType0.from_dict(data)



                return video_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateParameterVideoType0 | Unset, data)

        video = _parse_video(d.pop("video", UNSET))


        def _parse_document(data: object) -> None | TemplateParameterDocumentType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                document_type_0 = TemplateParameterDocumentType0.from_dict(data)



                return document_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateParameterDocumentType0 | Unset, data)

        document = _parse_document(d.pop("document", UNSET))


        def _parse_location(data: object) -> None | TemplateParameterLocationType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                location_type_0 = TemplateParameterLocationType0.from_dict(data)



                return location_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateParameterLocationType0 | Unset, data)

        location = _parse_location(d.pop("location", UNSET))


        def _parse_action(data: object) -> None | TemplateParameterActionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                action_type_0 = TemplateParameterActionType0.from_dict(data)



                return action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateParameterActionType0 | Unset, data)

        action = _parse_action(d.pop("action", UNSET))


        template_parameter = cls(
            type_=type_,
            parameter_name=parameter_name,
            text=text,
            payload=payload,
            coupon_code=coupon_code,
            currency=currency,
            date_time=date_time,
            image=image,
            video=video,
            document=document,
            location=location,
            action=action,
        )

        return template_parameter

