-- Argo CD knows a service's Application as <team>-<service>-<environment>: team a-b's service c and
-- team a's service b-c would share it. The name without its environment is unique across teams, so
-- no two services can ever produce the same Application (environment names hold no hyphen). The
-- database derives it, so no insert can leave it out.
alter table services add column application_name text;
update services s set application_name = t.name || '-' || s.name from teams t where t.id = s.team_id;
alter table services add constraint services_application_name_unique unique (application_name);

create function services_application_name() returns trigger language plpgsql as $$
begin
    -- an unknown team leaves it null, and the foreign key refuses the row
    select t.name || '-' || new.name into new.application_name from teams t where t.id = new.team_id;
    return new;
end $$;

create trigger services_application_name before insert or update of name, team_id on services
    for each row execute function services_application_name();
