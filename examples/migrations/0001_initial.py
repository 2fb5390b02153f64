"""Progress examples move from `deliverables` to their own app.

Only Django's idea of where the models live changes: the tables, their rows,
constraints and indexes stay as they are (each model names its old table).
deliverables.0006 removes the models from `deliverables` and moves their
content types, so permissions and the roles' grants follow.
"""

import django.db.models.deletion
import django.utils.timezone
import django_countries.fields
from django.conf import settings
from django.db import migrations, models

import examples.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("deliverables", "0005_example_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ProgressExample',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('countries', django_countries.fields.CountryField(blank=True, max_length=746, multiple=True, verbose_name='countries')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                        ('started_on', models.DateField(blank=True, null=True, verbose_name='date or start of the period')),
                        ('ended_on', models.DateField(blank=True, null=True, verbose_name='end of the period')),
                        ('what_was_done', models.TextField(blank=True, verbose_name='what was done')),
                        ('results', models.TextField(blank=True, verbose_name='results achieved')),
                        ('involves_government', models.BooleanField(default=False, verbose_name='government')),
                        ('involves_employers', models.BooleanField(default=False, verbose_name="employers' organizations")),
                        ('involves_workers', models.BooleanField(default=False, verbose_name="workers' organizations")),
                        ('partners', models.TextField(blank=True, help_text='For example ITC-ILO, UN agencies, development partners.', verbose_name='partners')),
                        ('south_south', models.BooleanField(default=False, verbose_name='South–South or triangular cooperation')),
                        ('may_be_cited', models.BooleanField(default=False, verbose_name='may be cited in a Governing Body document')),
                        ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned for changes'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='draft', max_length=10, verbose_name='state')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='updated at')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='approved at')),
                        ('version', models.PositiveIntegerField(default=1, help_text='Goes up with every change; guards against lost edits.', verbose_name='version')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='progress_examples', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('deliverables', models.ManyToManyField(blank=True, db_table='deliverables_progressexample_deliverables', related_name='examples', to='deliverables.deliverable', verbose_name='deliverables')),
                        ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='examples', to='deliverables.office', verbose_name='office')),
                    ],
                    options={
                        'db_table': 'deliverables_progressexample',
                        'verbose_name': 'progress example',
                        'verbose_name_plural': 'progress examples',
                        'ordering': ['-updated_at', '-pk'],
                        'permissions': [('review_progressexample', 'Can approve, return or reject progress examples'), ('view_all_progressexamples', 'Can view the progress examples of every office'), ('view_example_coverage', 'Can view the coverage of progress examples')],
                    },
                ),
                migrations.CreateModel(
                    name='ExampleTransition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('from_state', models.CharField(blank=True, choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned for changes'), ('approved', 'Approved'), ('rejected', 'Rejected')], help_text='Empty for the creation of the example.', max_length=10, verbose_name='from')),
                        ('to_state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned for changes'), ('approved', 'Approved'), ('rejected', 'Rejected')], max_length=10, verbose_name='to')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('example', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='examples.progressexample', verbose_name='example')),
                    ],
                    options={
                        'db_table': 'deliverables_exampletransition',
                        'verbose_name': 'example transition',
                        'verbose_name_plural': 'example transitions',
                        'ordering': ['at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ExampleAttachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(max_length=200, upload_to=examples.models.attachment_path, verbose_name='file')),
                        ('original_name', models.CharField(max_length=150, verbose_name='file name')),
                        ('content_type', models.CharField(max_length=100, verbose_name='content type')),
                        ('size', models.PositiveIntegerField(verbose_name='size in bytes')),
                        ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                        ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='uploaded at')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                        ('example', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='examples.progressexample', verbose_name='example')),
                    ],
                    options={
                        'db_table': 'deliverables_exampleattachment',
                        'verbose_name': 'attachment',
                        'verbose_name_plural': 'attachments',
                        'ordering': ['uploaded_at', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='progressexample',
                    index=models.Index(fields=['state', 'office'], name='example_state_office'),
                ),
                migrations.AddConstraint(
                    model_name='progressexample',
                    constraint=models.CheckConstraint(condition=models.Q(('state__in', ['draft', 'submitted', 'returned', 'approved', 'rejected'])), name='example_known_state'),
                ),
                migrations.AddConstraint(
                    model_name='progressexample',
                    constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('started_on__isnull', True), ('ended_on__gte', models.F('started_on')), _connector='OR'), name='example_ended_after_started', violation_error_message='The end of the period cannot be before its start.'),
                ),
                migrations.AddConstraint(
                    model_name='progressexample',
                    constraint=models.CheckConstraint(condition=models.Q(('state', 'draft'), models.Q(models.Q(('title', ''), _negated=True), ('started_on__isnull', False)), _connector='OR'), name='example_complete_unless_draft', violation_error_message='Once submitted, an example keeps a title and a date.'),
                ),
                migrations.AddConstraint(
                    model_name='progressexample',
                    constraint=models.CheckConstraint(condition=models.Q(('approved_at__isnull', True), ('state', 'approved'), _connector='OR'), name='example_approved_at_only_when_approved'),
                ),
                migrations.AddConstraint(
                    model_name='progressexample',
                    constraint=models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='example_version_positive'),
                ),
                migrations.AddIndex(
                    model_name='exampletransition',
                    index=models.Index(fields=['example', 'at'], name='example_transition_at'),
                ),
                migrations.AddConstraint(
                    model_name='exampleattachment',
                    constraint=models.CheckConstraint(condition=models.Q(('size__gt', 0)), name='attachment_not_empty'),
                ),
    
            ],
        ),
    ]
