"""Every CLI option with choices offers exactly what the model's ``Literal`` accepts.

The test walks the whole command tree (``typer`` builds it from the annotations), so a new
option with choices that is not listed in ``MODEL_PARAMETER`` fails here: list it with the
model parameter it feeds.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import typing
from typing import Any, Literal, get_args, get_origin

import pytest
import typer.main

import ustpull._typing as shared_types
from ustpull.cli.main import app, main

#: (command path, option name) -> "module:callable.parameter" of the model that receives it.
MODEL_PARAMETER: dict[tuple[str, str], str] = {
    ("curves bootstrap", "--interpolation"): "ustpull.curves.bootstrap:Bootstrap.interpolation",
    ("curves nss", "--model"): "ustpull.curves.nss:NelsonSiegelSvensson.model",
    ("curves nss", "--outliers"): "ustpull.curves.nss_sources:fit_nss_source.outliers",
    ("curves nss", "--source"): "ustpull.curves.nss_sources:yield_source.name",
    ("termpremium", "--frequency"): (
        "ustpull.termpremium.countries:country_term_premium.frequency"
    ),
    ("termpremium", "--var-bias"): "ustpull.termpremium.acm:ACM.var_bias",
    ("stocks", "--inflation-proxy"): "ustpull.crossasset.ddm:DividendDiscount.inflation_proxy",
    ("foreign-bonds", "--frequency"): (
        "ustpull.crossasset.connectedness.diebold_yilmaz:yield_changes.frequency"
    ),
    ("dollar", "--index"): "ustpull.crossasset.dollar:dollar_index.index",
    ("dollar", "--growth-rule"): "ustpull.crossasset.dollar:DollarSmile.rule",
    ("dollar", "--fiscal-measure"): "ustpull.crossasset.dollar:FiscalFrown.measure",
    ("dollar", "--frequency"): "ustpull.crossasset.dollar:DollarYieldComovement.frequency",
    ("connectedness", "--model"): "ustpull.crossasset.connectedness.model:ConnectednessModel.model",
    ("connectedness", "--prior"): "ustpull.crossasset.connectedness.model:ConnectednessModel.prior",
    ("connectedness", "--bootstrap"): (
        "ustpull.crossasset.connectedness.model:ConnectednessModel.fit.bootstrap"
    ),
}


def _commands(command: Any, path: str = "") -> list[tuple[str, Any]]:
    found = [(path, command)] if path else []
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, f"{path} {name}".strip())
    return found


def _choice_options() -> dict[tuple[str, str], Any]:
    """(command, long option) -> annotation, for every option whose values are a closed set."""
    options: dict[tuple[str, str], Any] = {}
    for path, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            annotation = param.type_descriptor.annotation
            closed = get_origin(annotation) is Literal or (
                isinstance(annotation, type) and issubclass(annotation, enum.Enum)
            )
            if closed:
                options[(path, max(param.opts, key=len))] = annotation
    return options


def _model_literal(target: str) -> Any:
    module_name, dotted = target.split(":")
    *owners, parameter = dotted.split(".")
    obj: Any = importlib.import_module(module_name)
    for owner in owners:
        obj = getattr(obj, owner)
    function = obj.__init__ if inspect.isclass(obj) else obj
    annotation = inspect.signature(function).parameters[parameter].annotation
    if isinstance(annotation, str):  # postponed annotations: resolve in the model's module
        namespace = {**vars(typing), **vars(inspect.getmodule(function))}
        annotation = eval(annotation, namespace)
    return annotation


def test_every_choice_option_is_mapped_to_a_model_parameter() -> None:
    options = _choice_options()
    assert sorted(options) == sorted(MODEL_PARAMETER)
    assert len(options) == 15


@pytest.mark.parametrize(("key", "target"), sorted(MODEL_PARAMETER.items()))
def test_cli_choices_equal_the_model_literal(key: tuple[str, str], target: str) -> None:
    cli = _choice_options()[key]
    model = _model_literal(target)
    assert get_origin(cli) is Literal, f"{key}: an Enum, not a shared Literal"
    assert get_args(cli) == get_args(model)
    # one definition: the Literal is one of ustpull._typing's named option types
    shared = [name for name, value in vars(shared_types).items() if value == cli]
    assert shared, f"{key}: {cli} is not defined in ustpull._typing"


def test_a_bad_choice_is_refused_naming_the_literal_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["connectedness", "x.csv", "--prior", "wishart"])
    err = capsys.readouterr().err
    assert code == 2
    assert "'wishart' is not one of 'bayes', 'minnesota', 'flat'" in err
    assert get_args(shared_types.PriorKind) == ("bayes", "minnesota", "flat")


def test_the_old_freq_flag_still_works_as_an_alias() -> None:
    command = dict(_commands(typer.main.get_command(app)))["termpremium"]
    (param,) = [p for p in command.params if "--frequency" in p.opts]
    assert set(param.opts) == {"--frequency", "--freq"}


def test_foreign_bonds_frequency_default_is_the_studies_default() -> None:
    """The command and the report measure connectedness on the same (synchronous) changes."""
    import inspect

    from ustpull.cli._commands_foreign import _foreign_bonds
    from ustpull.studies import StudySettings

    default = inspect.signature(_foreign_bonds).parameters["frequency"].default
    assert default == StudySettings().connectedness_frequency == "weekly"
