"""The base classes of every form in Stegvis: ``Form`` and ``ModelForm``.

They add ``core.text.ControlCharacterValidator`` to every text field (a ``CharField`` or a
subclass such as ``EmailField``): a pasted control character gets a message at the field and
the rest of what was typed stays. Text fields with a ``Textarea`` keep tab and line breaks.
The validator replaces Django's own NUL check, so a NUL gets one message, not two.
``tests/core/test_text.py`` fails on a form of ours that does not use these bases.
"""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from .text import ControlCharacterValidator


class TextChecksMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator | ControlCharacterValidator)
                ] + [ControlCharacterValidator(multiline=multiline)]


class Form(TextChecksMixin, forms.Form):
    pass


class ModelForm(TextChecksMixin, forms.ModelForm):
    pass
