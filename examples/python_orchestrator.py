"""The seeds' orchestrator code on Switchboard: only the import line changed.

The blocks marked "seed" are copied from the seed documents (000, 001, 002) unchanged except for
``from shannon.server.websocket import ...`` becoming ``from switchboard import ...``; the rest is
the glue a real orchestrator has (a fake two-skill task, a main). Run a hub
(``deno task start``), then:

    PYTHONPATH=python SWITCHBOARD_URL=http://127.0.0.1:8000 \\
        python3 examples/python_orchestrator.py demo

and HALT / RESUME session ``demo`` from a dashboard (or ``curl -X POST .../commands``).
"""

import asyncio
import logging
import os
import sys
from typing import Any, Dict

# seed 000/001/002, import changed: was `from shannon.server.websocket import ...`
from switchboard import emit_skill_event, emit_execution_event, conn_manager, ExecutionState

logger = logging.getLogger(__name__)
SKILL_SECONDS = float(os.environ.get("FAKE_SKILL_SECONDS", "1.0"))


class TaskComplete(Exception):
    """Glue: ends the seed's endless ``run_execution`` loop once the task is done."""


class FakeSkill:
    """Glue: a skill that takes a while and returns a result."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def execute(self, params: Dict[str, Any]) -> Dict[str, Any]:
        await asyncio.sleep(SKILL_SECONDS)
        return {"skill": self.name, "ok": True, "params": params}


# seed 001, "Handling Commands in Orchestrator" (unchanged)
async def my_halt_handler():
    """Custom halt handler."""
    print("Execution halted!")
    # Pause orchestrator...

conn_manager.register_command_handler('HALT', my_halt_handler)


class ContextAwareOrchestrator:
    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        self.event_callback = None
        self.plan = [("analyze", {"path": "src/"}), ("generate", {"file": "hello.py"})]
        self.step = 0

    # seed 002, "_emit_event() Method" (unchanged)
    async def _emit_event(self, event_type: str, data: Dict[str, Any]):
        """Emit event to both stdout and WebSocket."""

        # Keep stdout for CLI visibility
        print(f"Event: {event_type}")

        # Add WebSocket emission
        if self.session_id:
            try:
                if event_type.startswith('skill:'):
                    await emit_skill_event(event_type, data, self.session_id)
                elif event_type.startswith('execution:'):
                    await emit_execution_event(event_type, data, self.session_id)
                elif event_type.startswith('checkpoint:'):
                    await emit_execution_event(event_type, data, self.session_id)
            except Exception as e:
                # Don't fail execution if WebSocket emission fails
                logger.warning(f"Failed to emit event to WebSocket: {e}")

        # Also call event callback if provided
        if self.event_callback:
            try:
                await self.event_callback(event_type, data, self.session_id)
            except Exception as e:
                logger.warning(f"Event callback failed: {e}")

    # seed 001, "Integration with Orchestrator" (unchanged)
    async def execute_skill(self, skill_name, params):
        # Emit start event
        await emit_skill_event('skill:started', {
            'skill_name': skill_name,
            'parameters': params
        }, session_id=self.session_id)

        try:
            # Execute skill...
            result = await skill.execute(params)

            # Emit completion
            await emit_skill_event('skill:completed', {
                'skill_name': skill_name,
                'result': result
            }, session_id=self.session_id)

        except Exception as e:
            # Emit failure
            await emit_skill_event('skill:failed', {
                'skill_name': skill_name,
                'error': str(e)
            }, session_id=self.session_id)

    # seed 000, "Command Handling Example" (unchanged)
    async def run_execution(self):
        while True:
            # Check if halted
            state = await conn_manager.get_execution_state()
            if state == ExecutionState.HALTED:
                await asyncio.sleep(0.1)
                continue

            # Execute next skill
            await self.execute_next_skill()

    # Glue: the fake two-skill task.
    async def execute_next_skill(self):
        if self.step >= len(self.plan):
            raise TaskComplete()
        name, params = self.plan[self.step]
        global skill  # the seed's execute_skill refers to a `skill` in scope
        skill = FakeSkill(name)
        await self._emit_event('checkpoint:created', {
            'checkpoint_id': f'cp-{self.step}', 'label': f'before_{name}', 'skill_name': name})
        await self.execute_skill(name, params)
        self.step += 1


skill = None


async def main(session_id: str) -> None:
    orchestrator = ContextAwareOrchestrator(session_id)
    await orchestrator._emit_event('execution:started', {
        'plan_id': 'fake-plan', 'task': 'a fake two-skill task', 'steps_total': 2})
    try:
        await orchestrator.run_execution()
    except TaskComplete:
        await orchestrator._emit_event('execution:completed', {
            'success': True, 'plan_id': 'fake-plan', 'steps_completed': 2, 'steps_total': 2})
    print("Task complete")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "demo"))
