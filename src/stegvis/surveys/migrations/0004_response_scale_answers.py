"""A response's scale answers move into the response row (``Response.scale_answers``,
``{question id: step}``); free-text answers stay ``Answer`` rows. Existing scale answers are
carried over before the old column goes, so an installation keeps every answer it had."""

from django.db import migrations, models


def carry_scale_answers_over(apps, schema_editor):
    Answer = apps.get_model("surveys", "Answer")
    Response = apps.get_model("surveys", "Response")
    collected = {}
    rows = Answer.objects.filter(value__isnull=False).values_list("response_id", "question_id", "value")
    for response_id, question_id, value in rows.iterator(chunk_size=5000):
        collected.setdefault(response_id, {})[str(question_id)] = value
    batch = []
    for response_id, scale in collected.items():
        batch.append(Response(id=response_id, scale_answers=scale))
        if len(batch) >= 1000:
            Response.objects.bulk_update(batch, ["scale_answers"])
            batch = []
    if batch:
        Response.objects.bulk_update(batch, ["scale_answers"])
    Answer.objects.filter(value__isnull=False).delete()


def move_scale_answers_back(apps, schema_editor):
    Answer = apps.get_model("surveys", "Answer")
    Response = apps.get_model("surveys", "Response")
    rows = []
    for response in Response.objects.exclude(scale_answers={}).only("id", "organizer_id", "scale_answers"):
        for question_id, value in response.scale_answers.items():
            rows.append(
                Answer(
                    organizer_id=response.organizer_id,
                    response_id=response.id,
                    question_id=int(question_id),
                    value=value,
                )
            )
    Answer.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_custom_surveys"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="scale_answers",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(carry_scale_answers_over, move_scale_answers_back),
        migrations.RemoveField(
            model_name="answer",
            name="value",
        ),
    ]
