"""``/admin/plans``: the operator's plans."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, status

from gateway.auth.dependencies import admin_router as make_admin_router
from gateway.billing import plans as service
from gateway.billing.schemas import PlanCreate, PlanDeleted, PlanOut, PlanUpdate
from gateway.kit.errors import ErrorEnvelope
from gateway.kit.pagination import ListResponse, PageParams, page_of
from gateway.kit.routing import DbSession

admin_router = make_admin_router("/admin/plans")

PlanId = Annotated[str, Path(description="The plan's id (`plan_…`).", max_length=64)]

CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ErrorEnvelope,
        "description": "The name is taken, or the change would leave no default plan.",
    }
}


@admin_router.get("", response_model=ListResponse[PlanOut])
async def admin_list_plans(db: DbSession, page: PageParams) -> ListResponse[PlanOut]:
    items, has_more = page_of(await service.list_plans(db, page), page)
    return ListResponse(data=[PlanOut.model_validate(p) for p in items], has_more=has_more)


@admin_router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=PlanOut, responses=CONFLICT
)
async def admin_create_plan(body: PlanCreate, db: DbSession) -> PlanOut:
    """Create a plan; limits left out are unlimited."""
    return PlanOut.model_validate(await service.create_plan(db, body))


@admin_router.get("/{plan_id}", response_model=PlanOut)
async def admin_retrieve_plan(plan_id: PlanId, db: DbSession) -> PlanOut:
    return PlanOut.model_validate(await service.get_plan(db, plan_id))


@admin_router.patch("/{plan_id}", response_model=PlanOut, responses=CONFLICT)
async def admin_update_plan(plan_id: PlanId, body: PlanUpdate, db: DbSession) -> PlanOut:
    """Change a plan; every API process applies it at once. Lowering a limit deletes
    nothing: what is over it keeps working, only creating more is refused."""
    return PlanOut.model_validate(await service.update_plan(db, plan_id, body))


@admin_router.delete(
    "/{plan_id}",
    response_model=PlanDeleted,
    responses={
        409: {
            "model": ErrorEnvelope,
            "description": "Accounts are on the plan (`plan_in_use`), or it is the default.",
        }
    },
)
async def admin_delete_plan(plan_id: PlanId, db: DbSession) -> PlanDeleted:
    """Delete a plan no account is on (the default cannot be deleted)."""
    return PlanDeleted(id=await service.delete_plan(db, plan_id))
